/**
 * The WSDL the emulator serves at /apnscp.wsdl. No public copy of ApisCP's own exists, so this
 * one is generated from METHODS: WSDL 1.1, rpc/encoded, every part `xsd:anyType` (PHP's
 * SoapClient then encodes each argument by its PHP type, exactly as it does without a WSDL),
 * namespace urn:apnscp.api.soap, and the emulator's endpoint as soap:address.
 */
import { APISCP_NAMESPACE, METHODS, type MethodSpec } from "../../../providers/apiscp/methods.js";

const SOAP_ENCODING = "http://schemas.xmlsoap.org/soap/encoding/";

function escapeAttribute(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** `methods` defaults to siteform's table; tests may pass their own. */
export function buildWsdl(endpointUrl: string, methods: Readonly<Record<string, MethodSpec>> = METHODS): string {
  const ns = APISCP_NAMESPACE;
  const names = Object.keys(methods).sort();
  const messages = names.flatMap((name) => {
    const parts = methods[name]!.params.map((p) => `    <part name="${p}" type="xsd:anyType"/>`);
    return [
      `  <message name="${name}Request">`,
      ...parts,
      `  </message>`,
      `  <message name="${name}Response">`,
      `    <part name="return" type="xsd:anyType"/>`,
      `  </message>`,
    ];
  });
  const portOps = names.flatMap((name) => [
    `    <operation name="${name}">`,
    `      <input message="tns:${name}Request"/>`,
    `      <output message="tns:${name}Response"/>`,
    `    </operation>`,
  ]);
  const body = `<soap:body use="encoded" namespace="${ns}" encodingStyle="${SOAP_ENCODING}"/>`;
  const bindingOps = names.flatMap((name) => [
    `    <operation name="${name}">`,
    `      <soap:operation soapAction="${ns}#${name}" style="rpc"/>`,
    `      <input>${body}</input>`,
    `      <output>${body}</output>`,
    `    </operation>`,
  ]);
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<definitions name="apnscp" targetNamespace="${ns}"`,
    `    xmlns="http://schemas.xmlsoap.org/wsdl/"`,
    `    xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"`,
    `    xmlns:soapenc="${SOAP_ENCODING}"`,
    `    xmlns:xsd="http://www.w3.org/2001/XMLSchema"`,
    `    xmlns:tns="${ns}">`,
    ...messages,
    `  <portType name="apnscpPortType">`,
    ...portOps,
    `  </portType>`,
    `  <binding name="apnscpBinding" type="tns:apnscpPortType">`,
    `    <soap:binding style="rpc" transport="http://schemas.xmlsoap.org/soap/http"/>`,
    ...bindingOps,
    `  </binding>`,
    `  <service name="apnscp">`,
    `    <port name="apnscpPort" binding="tns:apnscpBinding">`,
    `      <soap:address location="${escapeAttribute(endpointUrl)}"/>`,
    `    </port>`,
    `  </service>`,
    `</definitions>`,
    ``,
  ].join("\n");
}
