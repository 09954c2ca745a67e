/**
 * The codec against XML PHP 8.2's ext/soap really wrote (test/fixtures/php-wire, captured by
 * the interop suite's capture.php): every sample decodes to the value PHP meant, and our
 * encoder writes the same Body byte for byte except where JavaScript cannot say what PHP said.
 * No PHP is needed to run this; test/interop checks the other direction against live PHP.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeCall, decodeReply, encodeCall, encodeFault, encodeResult } from "../../../src/providers/apiscp/wire/index.js";
import type { SoapValue } from "../../../src/providers/apiscp/wire/value.js";
import { PHP_WIRE_FIXTURES, bodyOf, readJson } from "./helpers.js";

interface Sample {
  name: string;
  direction: "request" | "response" | "fault";
  file: string;
  operation: string;
  mode?: "non-wsdl" | "wsdl";
  value: SoapValue;
}

const INDEX = join(PHP_WIRE_FIXTURES, "index.json");
const samples = existsSync(INDEX) ? readJson<Sample[]>(INDEX) : [];
const xmlOf = (s: Sample): string => readFileSync(join(PHP_WIRE_FIXTURES, s.file), "utf8");
const wsdlNames: Record<string, string[]> = {
  admin_add_site: ["domain", "admin_user", "opts", "flags"],
  admin_collect: ["params", "query", "sites"],
  common_whoami: [],
};

/** Bodies we cannot write identically, and why. */
const BODY_DIFFERS: Record<string, string> = {
  "value-int-php-max": "PHP_INT_MAX is not a safe JS integer, so it goes out as xsd:float",
  "value-float-integral": "PHP's float 5.0 is the JS number 5, an xsd:int",
  "value-map-mixed-keys": "JS objects list integer-like keys first, so key order differs",
};

describe("PHP-produced samples", () => {
  it("are present (test/fixtures/php-wire is checked in)", () => {
    expect(samples.length).toBeGreaterThan(50);
  });

  it("include every direction", () => {
    expect(new Set(samples.map((s) => s.direction))).toEqual(new Set(["request", "response", "fault"]));
  });

  it.each(samples)("$name decodes to what PHP meant", (sample) => {
    const xml = xmlOf(sample);
    if (sample.direction === "request") {
      const call = decodeCall(xml);
      expect(call.operation).toBe(sample.operation);
      expect(call.args).toEqual(sample.value);
      if (sample.mode === "wsdl") expect(call.argNames).toEqual(wsdlNames[sample.operation]);
      else expect(call.argNames).toEqual(call.args.map((_, i) => `param${i}`));
    } else if (sample.direction === "response") {
      expect(decodeReply(xml)).toEqual({ kind: "result", value: sample.value });
    } else {
      const fault = sample.value as { faultcode: string; faultstring: string };
      expect(decodeReply(xml)).toEqual({ kind: "fault", fault: { code: fault.faultcode, message: fault.faultstring } });
    }
  });

  it.each(samples)("$name: our encoder writes PHP's Body", (sample) => {
    const differs = BODY_DIFFERS[sample.name.replace(/^(request|response)-/, "")];
    const xml = xmlOf(sample);
    let ours: string;
    if (sample.direction === "request") {
      const args = sample.value as SoapValue[];
      const argNames = sample.mode === "wsdl" ? wsdlNames[sample.operation] : undefined;
      ours = encodeCall({ operation: sample.operation, args, ...(argNames ? { argNames } : {}) });
    } else if (sample.direction === "response") {
      ours = encodeResult(sample.operation, sample.value);
    } else {
      const fault = sample.value as { faultcode: string; faultstring: string };
      ours = encodeFault({ code: fault.faultcode, message: fault.faultstring });
      expect(ours).toBe(xml);
    }
    if (differs === undefined) expect(bodyOf(ours)).toBe(bodyOf(xml));
    else expect(bodyOf(ours), differs).not.toBe(bodyOf(xml));
  });
});
