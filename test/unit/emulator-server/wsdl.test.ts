import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { METHODS } from "../../../src/providers/apiscp/methods.js";
import { buildWsdl } from "../../../src/emulator/apiscp/server/wsdl.js";

type Node = Record<string, unknown>;
const list = (v: unknown): Node[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]) as Node[];

describe("buildWsdl", () => {
  const xml = buildWsdl("https://127.0.0.1:2083/soap?x=1&y=2");
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@" }).parse(xml) as Node;
  const defs = doc["definitions"] as Node;

  it("declares every method with its parameter names as anyType parts", () => {
    const messages = list(defs["message"]);
    for (const [name, spec] of Object.entries(METHODS)) {
      const request = messages.find((m) => m["@name"] === `${name}Request`);
      expect(request, name).toBeDefined();
      expect(list(request!["part"]).map((p) => [p["@name"], p["@type"]])).toEqual(
        spec.params.map((p) => [p, "xsd:anyType"]),
      );
      const response = messages.find((m) => m["@name"] === `${name}Response`);
      expect(list(response!["part"])[0]).toMatchObject({ "@name": "return", "@type": "xsd:anyType" });
    }
  });

  it("is rpc/encoded in urn:apnscp.api.soap at the given endpoint", () => {
    expect(defs["@targetNamespace"]).toBe("urn:apnscp.api.soap");
    const binding = defs["binding"] as Node;
    expect(binding["soap:binding"]).toMatchObject({ "@style": "rpc" });
    for (const op of list(binding["operation"])) {
      const input = (op["input"] as Node)["soap:body"] as Node;
      expect(input).toMatchObject({ "@use": "encoded", "@namespace": "urn:apnscp.api.soap" });
    }
    const port = (defs["service"] as Node)["port"] as Node;
    expect((port["soap:address"] as Node)["@location"]).toBe("https://127.0.0.1:2083/soap?x=1&y=2");
  });
});
