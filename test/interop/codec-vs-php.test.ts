/**
 * siteform's SOAP codec against PHP's ext/soap, both ways, over every case in
 * test/fixtures/php-wire/index.json:
 *  - our decoder reads PHP's recorded XML as the value PHP meant;
 *  - PHP reads what our encoder writes (as a SoapServer for calls, a SoapClient for results and
 *    faults) as the very same PHP value, down to PHP types: PHP decodes its own fixture and our
 *    XML side by side (test/interop/php/decode.php) and the two must agree.
 * Where JavaScript cannot carry what PHP had (an integral float, an int beyond 2^53), the
 * difference is listed below with its reason instead of being skipped silently.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeCall, decodeReply, encodeCall, encodeFault, encodeResult } from "../../src/providers/apiscp/wire/index.js";
import type { SoapValue } from "../../src/providers/apiscp/wire/value.js";
import { parseJsonOutput, requirePhpSoap, runPhpScript, stopAllPhp } from "./php-process.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface IndexEntry {
  name: string;
  direction: "request" | "response" | "fault";
  file: string;
  operation: string;
  value: Json;
}

interface PhpDecoded {
  id: string;
  operation?: string;
  value?: Json;
  shape?: Json;
  fault?: { faultcode: string; faultstring: string };
}

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "php-wire");
const index = JSON.parse(readFileSync(join(FIXTURES, "index.json"), "utf8")) as IndexEntry[];
const xmlOf = (entry: IndexEntry): string => readFileSync(join(FIXTURES, entry.file), "utf8");

/**
 * Fixtures whose PHP value JavaScript cannot hold, so our re-encoding cannot match PHP's types.
 * The value is what PHP decodes from our XML instead, as its shape.
 */
const JS_CANNOT_CARRY: Record<string, { reason: string; ourShape: Json }> = {
  "value-float-integral": {
    reason: "PHP's float 5.0 is the JS number 5, which we send as xsd:int",
    ourShape: "int",
  },
  "value-int-php-max": {
    reason: "PHP_INT_MAX is 9223372036854775808 as a JS number, one past PHP's int range",
    ourShape: "float",
  },
};

/** Strips the request-/response- prefix so both directions of a case share a key. */
const caseName = (entry: IndexEntry): string => entry.name.replace(/^(request|response)-/, "");

let phpOwn = new Map<string, PhpDecoded>();
let phpOurs = new Map<string, PhpDecoded>();

beforeAll(async () => {
  requirePhpSoap();
  const items: { id: string; kind: "request" | "response"; xml: string }[] = [];
  for (const entry of index) {
    const kind = entry.direction === "request" ? "request" : "response";
    items.push({ id: `php:${entry.name}`, kind, xml: xmlOf(entry) });
    items.push({ id: `ours:${entry.name}`, kind, xml: encodeOurs(entry) });
  }
  const decoded = parseJsonOutput<PhpDecoded[]>(await runPhpScript("decode.php", [], { input: JSON.stringify(items) }));
  phpOwn = new Map(decoded.filter((d) => d.id.startsWith("php:")).map((d) => [d.id.slice(4), d]));
  phpOurs = new Map(decoded.filter((d) => d.id.startsWith("ours:")).map((d) => [d.id.slice(5), d]));
}, 60_000);

afterAll(() => stopAllPhp());

function encodeOurs(entry: IndexEntry): string {
  if (entry.direction === "request") return encodeCall(entry.operation, entry.value as SoapValue[]);
  if (entry.direction === "response") return encodeResult(entry.operation, entry.value as SoapValue);
  const fault = entry.value as { faultcode: string; faultstring: string };
  return encodeFault({ code: fault.faultcode, message: fault.faultstring });
}

describe("our decoder reads PHP's XML", () => {
  it.each(index.filter((e) => e.direction === "request"))("$name", (entry) => {
    const call = decodeCall(xmlOf(entry));
    expect(call.operation).toBe(entry.operation);
    expect(call.args).toEqual(entry.value);
  });

  it.each(index.filter((e) => e.direction === "response"))("$name", (entry) => {
    expect(decodeReply(xmlOf(entry))).toEqual({ kind: "result", value: entry.value });
  });

  it.each(index.filter((e) => e.direction === "fault"))("$name", (entry) => {
    const fault = entry.value as { faultcode: string; faultstring: string };
    expect(decodeReply(xmlOf(entry))).toEqual({ kind: "fault", fault: { code: fault.faultcode, message: fault.faultstring } });
  });
});

describe("PHP reads our XML as the same PHP value", () => {
  it.each(index)("$name", (entry) => {
    const own = phpOwn.get(entry.name);
    const ours = phpOurs.get(entry.name);
    expect(own, "PHP did not decode its own fixture").toBeDefined();
    expect(ours?.fault?.faultcode, `PHP could not read our XML: ${ours?.fault?.faultstring}`).not.toBe("unread");
    if (entry.direction === "fault") {
      expect(ours?.fault).toEqual(own?.fault);
      return;
    }
    expect(own?.fault, "PHP faulted on its own fixture").toBeUndefined();
    if (entry.direction === "request") expect(ours?.operation).toBe(entry.operation);
    const known = JS_CANNOT_CARRY[caseName(entry)];
    if (known !== undefined) {
      expect(ours?.shape, known.reason).toEqual(entry.direction === "request" ? [known.ourShape] : known.ourShape);
      return;
    }
    expect(ours?.value).toEqual(own?.value);
    expect(ours?.shape).toEqual(own?.shape);
  });
});
