import { describe, expect, it } from "vitest";
import type { SoapValue } from "../../../src/providers/apiscp/wire/value.js";
import { SoapDecodeError, decodeCall, decodeReply, encodeCall, encodeFault, encodeResult } from "../../../src/providers/apiscp/wire/index.js";

const ENV = "http://schemas.xmlsoap.org/soap/envelope/";

describe("encodeCall", () => {
  it("writes PHP SoapClient's non-WSDL envelope", () => {
    const xml = encodeCall({ operation: "admin_collect", args: [null, ["a"]] });
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        `<SOAP-ENV:Envelope xmlns:SOAP-ENV="${ENV}" xmlns:ns1="urn:apnscp.api.soap" ` +
        'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
        'xmlns:ns2="http://xml.apache.org/xml-soap" xmlns:SOAP-ENC="http://schemas.xmlsoap.org/soap/encoding/" ' +
        'SOAP-ENV:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><SOAP-ENV:Body><ns1:admin_collect>' +
        '<param0 xsi:nil="true"/><param1 SOAP-ENC:arrayType="xsd:string[1]" xsi:type="SOAP-ENC:Array"><item xsi:type="xsd:string">a</item></param1>' +
        "</ns1:admin_collect></SOAP-ENV:Body></SOAP-ENV:Envelope>\n",
    );
  });

  it("uses argNames and the namespace option; no args is an empty operation element", () => {
    const named = encodeCall({ operation: "admin_get_plan", args: ["basic"], argNames: ["name"] }, { namespace: "urn:net.apnscp.soap" });
    expect(named).toContain('xmlns:ns1="urn:net.apnscp.soap"');
    expect(named).toContain('<ns1:admin_get_plan><name xsi:type="xsd:string">basic</name></ns1:admin_get_plan>');
    expect(encodeCall({ operation: "common_whoami", args: [] })).toContain("<ns1:common_whoami/>");
  });

  it("also takes (operation, args)", () => {
    expect(encodeCall("admin_get_plan", ["basic"])).toBe(encodeCall({ operation: "admin_get_plan", args: ["basic"] }));
  });

  it("refuses names that are not XML names", () => {
    expect(() => encodeCall({ operation: "a b", args: [] })).toThrow(TypeError);
    expect(() => encodeCall({ operation: "op", args: [1], argNames: ["<x>"] })).toThrow(TypeError);
  });
});

describe("decodeCall", () => {
  it("reads any prefix, matches the operation by local name and keeps argument names", () => {
    const xml =
      `<s:Envelope xmlns:s="${ENV}" xmlns:x="http://www.w3.org/2001/XMLSchema-instance" xmlns:q="urn:whatever">` +
      '<s:Header><auth>ignored</auth></s:Header><s:Body><q:admin_get_usage><field x:type="b:string" xmlns:b="http://www.w3.org/2001/XMLSchema">storage</field>' +
      '<sites x:nil="true"/></q:admin_get_usage></s:Body></s:Envelope>';
    expect(decodeCall(xml)).toEqual({ operation: "admin_get_usage", args: ["storage", null], argNames: ["field", "sites"] });
  });

  it("round-trips a call", () => {
    const call: { operation: string; args: SoapValue[] } = { operation: "admin_add_site", args: ["a.com", "u", { "siteinfo.plan": "basic", "diskquota.quota": 5000 }, { notify: false }] };
    expect(decodeCall(encodeCall(call))).toEqual({ ...call, argNames: ["param0", "param1", "param2", "param3"] });
  });

  it("refuses a Fault or an empty Body", () => {
    expect(() => decodeCall(encodeFault({ code: "SOAP-ENV:Server", message: "x" }))).toThrow(SoapDecodeError);
    expect(() => decodeCall(`<e:Envelope xmlns:e="${ENV}"><e:Body/></e:Envelope>`)).toThrow(/Body is empty/);
  });
});

describe("encodeResult / encodeFault / decodeReply", () => {
  it("writes <ns1:OPResponse><return>", () => {
    expect(encodeResult("admin_add_site", true)).toContain(
      '<SOAP-ENV:Body><ns1:admin_add_siteResponse><return xsi:type="xsd:boolean">true</return></ns1:admin_add_siteResponse></SOAP-ENV:Body>',
    );
    expect(decodeReply(encodeResult("admin_add_site", true))).toEqual({ kind: "result", value: true });
  });

  it("writes faults like PHP's SoapFault and reads them back", () => {
    const xml = encodeFault({ code: "SOAP-ENV:Client", message: 'Site "ü" <exists> & more\r\nline' });
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        `<SOAP-ENV:Envelope xmlns:SOAP-ENV="${ENV}"><SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>SOAP-ENV:Client</faultcode>` +
        '<faultstring>Site "ü" &lt;exists&gt; &amp; more&#13;\nline</faultstring></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>\n',
    );
    expect(decodeReply(xml)).toEqual({ kind: "fault", fault: { code: "SOAP-ENV:Client", message: 'Site "ü" <exists> & more\r\nline' } });
  });

  it("qualifies a bare fault code and replaces characters XML cannot carry", () => {
    const reply = decodeReply(encodeFault({ code: "Server", message: "bad\u0000byte" }));
    expect(reply).toEqual({ kind: "fault", fault: { code: "SOAP-ENV:Server", message: "bad\ufffdbyte" } });
  });

  it("reads SOAP 1.2 faults too", () => {
    const xml =
      '<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><env:Fault>' +
      "<env:Code><env:Value>env:Sender</env:Value></env:Code><env:Reason><env:Text>nope</env:Text></env:Reason>" +
      "</env:Fault></env:Body></env:Envelope>";
    expect(decodeReply(xml)).toEqual({ kind: "fault", fault: { code: "env:Sender", message: "nope" } });
  });
});

describe("refusing what is not a SOAP message", () => {
  const refusals: [string, string, RegExp][] = [
    ["empty", "", /empty document/],
    ["not XML", "Internal Server Error", /malformed XML/],
    ["unclosed", `<e:Envelope xmlns:e="${ENV}"><e:Body>`, /malformed XML/],
    ["HTML", "<html><body>502 Bad Gateway</body></html>", /not a SOAP envelope: the root element is <html>/],
    ["no Body", `<e:Envelope xmlns:e="${ENV}"><e:Header/></e:Envelope>`, /no Body/],
    [
      "DOCTYPE (entity expansion)",
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>' + `<e:Envelope xmlns:e="${ENV}"><e:Body>&b;</e:Body></e:Envelope>`,
      /DOCTYPE is not allowed/,
    ],
    ["DOCTYPE after a comment", `<!-- hi --><!doctype html><html/>`, /DOCTYPE/],
  ];
  it.each(refusals)("%s", (_name, xml, message) => {
    expect(() => decodeReply(xml)).toThrow(SoapDecodeError);
    expect(() => decodeReply(xml)).toThrow(message);
  });

  it("does not echo a huge payload in the message", () => {
    const huge = `<e:Envelope xmlns:e="${ENV}"><e:Body>${"<a>".repeat(1) + "x".repeat(100_000)}</e:Body></e:Envelope>`;
    try {
      decodeReply(huge);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(SoapDecodeError);
      expect((err as Error).message.length).toBeLessThan(300);
    }
  });

  it("survives absurdly deep documents", () => {
    const depth = 100_000;
    const xml = `<e:Envelope xmlns:e="${ENV}"><e:Body><r>${"<a>".repeat(depth)}${"</a>".repeat(depth)}</r></e:Body></e:Envelope>`;
    expect(() => decodeReply(xml)).toThrow(SoapDecodeError);
  });

  it("accepts a BOM and an XML declaration with a different quote style", () => {
    const xml = `\ufeff<?xml version='1.0' encoding='utf-8'?>\n<e:Envelope xmlns:e="${ENV}"><e:Body><r><return>x</return></r></e:Body></e:Envelope>`;
    expect(decodeReply(xml)).toEqual({ kind: "result", value: "x" });
  });
});
