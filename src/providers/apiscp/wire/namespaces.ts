/**
 * The namespace URIs and the prefixes PHP's ext/soap binds them to. Writers use the prefixes
 * exactly as PHP does; readers resolve prefixes through the document and fall back to these
 * conventional names only when a prefix is unbound.
 */
export const NS = {
  env: "http://schemas.xmlsoap.org/soap/envelope/",
  enc: "http://schemas.xmlsoap.org/soap/encoding/",
  xsd: "http://www.w3.org/2001/XMLSchema",
  xsi: "http://www.w3.org/2001/XMLSchema-instance",
  apache: "http://xml.apache.org/xml-soap",
} as const;

/** Prefixes seen in the wild for namespaces a sloppy sender may forget to declare. */
export const CONVENTIONAL_PREFIXES: Readonly<Record<string, string>> = {
  xsi: NS.xsi,
  xsd: NS.xsd,
  "SOAP-ENC": NS.enc,
  soapenc: NS.enc,
  enc: NS.enc,
  "SOAP-ENV": NS.env,
  soap: NS.env,
  soapenv: NS.env,
};
