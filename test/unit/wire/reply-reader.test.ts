/**
 * The streaming reader (replyReader) against the whole-text one (decodeReply): however an
 * answer's bytes are cut into chunks, a UTF-8 character, a tag, the prolog or a DOCTYPE split
 * across two of them, the result is the same, and a refusal is the same refusal.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeReply, encodeFault, encodeResult, replyReader, type ReadReply } from "../../../src/providers/apiscp/wire/index.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures/php-wire");

/** The bytes of `text` cut at `cuts` (positions, any order, duplicates allowed). */
function chunks(text: string, cuts: readonly number[]): Buffer[] {
  const bytes = Buffer.from(text, "utf8");
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const cut of at) {
    out.push(bytes.subarray(from, cut));
    from = cut;
  }
  out.push(bytes.subarray(from));
  return out;
}

function streamed(parts: readonly Buffer[]): ReadReply {
  const reader = replyReader();
  for (const part of parts) reader.write(part);
  return reader.end();
}

function whole(text: string): ReadReply {
  try {
    return { reply: decodeReply(text), problem: "", blank: text.trim() === "" };
  } catch (err) {
    return { reply: undefined, problem: (err as Error).message, blank: text.replace(/^\ufeff/, "").trim() === "" };
  }
}

const SAMPLES: string[] = [
  encodeResult("admin_collect", { site1: { siteinfo: { domain: "xn--bcher-kva.example", email: "ünïcødé@例え.jp" }, active: true, aliases: { aliases: ["a.example", "b.example"] } } }),
  encodeFault({ code: "Server", message: "Ошибка: доступ запрещён" }),
  `\ufeff<?xml version="1.0"?>\n<!-- a comment before the root -->\n${encodeResult("common_whoami", "admin")}`,
  '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body>&a;</e:Body></e:Envelope>',
  "<html><body>502 Bad Gateway</body></html>",
  "   \n  ",
  "<e:Envelope xmlns:e='http://schemas.xmlsoap.org/soap/envelope/'><e:Body>",
  ...readdirSync(FIXTURES)
    .filter((f) => f.endsWith(".xml"))
    .slice(0, 40)
    .map((f) => readFileSync(join(FIXTURES, f), "utf8")),
];

describe("replyReader", () => {
  it("reads every sample the same in one chunk as decodeReply does whole", () => {
    for (const sample of SAMPLES) expect(streamed([Buffer.from(sample, "utf8")])).toEqual(whole(sample));
  });

  it("reads every sample the same however its bytes are cut", () => {
    fc.assert(
      fc.property(fc.constantFrom(...SAMPLES), fc.array(fc.nat(), { maxLength: 12 }), (sample, cuts) => {
        expect(streamed(chunks(sample, cuts))).toEqual(whole(sample));
      }),
      { numRuns: 400 },
    );
  });

  it("refuses a DOCTYPE that arrives one byte at a time", () => {
    const doctype = SAMPLES[3] as string;
    const bytes = Buffer.from(doctype, "utf8");
    const result = streamed([...bytes].map((b) => Buffer.from([b])));
    expect(result.reply).toBeUndefined();
    expect(result.problem).toMatch(/DOCTYPE is not allowed/);
  });

  it("says a blank body is blank, and an unreadable one why", () => {
    expect(streamed([Buffer.from("  \n")])).toMatchObject({ reply: undefined, blank: true, problem: expect.stringMatching(/empty document/) });
    expect(streamed([Buffer.from("Internal Server Error")])).toMatchObject({ reply: undefined, blank: false, problem: expect.stringMatching(/malformed XML/) });
  });
});
