/**
 * Shared bits for the codec tests: wrapping a value fragment in a PHP-style envelope, and
 * cutting the argument fragment back out of an encoded call.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
export const UNIT_FIXTURES = join(HERE, "fixtures");
export const PHP_WIRE_FIXTURES = join(HERE, "..", "..", "fixtures", "php-wire");

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

/** A response envelope around `inner`, declared the way PHP declares it. */
export function responseXml(inner: string, extraBody = ""): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" ' +
    'xmlns:ns1="urn:apnscp.api.soap" xmlns:xsd="http://www.w3.org/2001/XMLSchema" ' +
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:SOAP-ENC="http://schemas.xmlsoap.org/soap/encoding/" ' +
    'xmlns:ns2="http://xml.apache.org/xml-soap" SOAP-ENV:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/">' +
    `<SOAP-ENV:Body><ns1:test_echoResponse>${inner}</ns1:test_echoResponse>${extraBody}</SOAP-ENV:Body></SOAP-ENV:Envelope>\n`
  );
}

/** The children of the operation element in an encoded call. */
export function argsFragment(xml: string, operation = "test_echo"): string {
  const open = `<ns1:${operation}>`;
  const start = xml.indexOf(open);
  const end = xml.indexOf(`</ns1:${operation}>`);
  if (start < 0 || end < 0) throw new Error(`no <ns1:${operation}> element in ${xml}`);
  return xml.slice(start + open.length, end);
}

/** Everything from `<SOAP-ENV:Body>` on: PHP's namespace declaration order varies, the body does not. */
export function bodyOf(xml: string): string {
  return xml.slice(xml.indexOf("<SOAP-ENV:Body>"));
}
