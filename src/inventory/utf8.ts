/**
 * Decoding an inventory file's bytes as UTF-8, strictly: a byte that is not UTF-8 is an error at
 * its line and column, never a U+FFFD replacement character that would pass validation and be
 * written to a server by the next plan. Pure; linear in the file's size.
 */
import { isUtf8 } from "node:buffer";
import type { Diagnostic } from "../model/index.js";
import { error } from "./diagnostics.js";

export type Decoded = { ok: true; text: string } | { ok: false; diagnostic: Diagnostic };

// fatal: refuse rather than replace. ignoreBOM: keep a byte-order mark in the text, as reading
// with readFile(…, "utf8") did, so the text hashes to the same digest as the file's bytes.
const STRICT = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export function decodeUtf8(file: string, bytes: Uint8Array): Decoded {
  // isUtf8 is native and much faster than decoding twice; the byte-by-byte scan runs only for a bad file.
  if (isUtf8(bytes)) return { ok: true, text: STRICT.decode(bytes) };
  const offset = firstInvalidByte(bytes);
  // (lastIndexOf with a negative start would search from the end: offset 0 is line 1's start.)
  const lineStart = offset === 0 ? 0 : bytes.lastIndexOf(0x0a, offset - 1) + 1;
  let line = 1;
  for (let i = bytes.indexOf(0x0a); i !== -1 && i < offset; i = bytes.indexOf(0x0a, i + 1)) line++;
  // Everything before the bad byte is valid UTF-8, so its decoded length is the column (as yaml counts them).
  const column = STRICT.decode(bytes.subarray(lineStart, offset)).length + 1;
  const byte = bytes[offset] ?? 0;
  const shown = `0x${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  return {
    ok: false,
    diagnostic: error("invalid-utf8", { file, line, column, path: "" }, `the file is not valid UTF-8: byte ${shown} here is not part of a UTF-8 character`, hintFor(bytes)),
  };
}

function hintFor(bytes: Uint8Array): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return "the file is UTF-16: save it as UTF-8 (for example `iconv -f UTF-16 -t UTF-8`)";
  }
  return "save the file as UTF-8; a byte like this usually means it was saved as Latin-1 or Windows-1252 (convert it with `iconv -f WINDOWS-1252 -t UTF-8`)";
}

/**
 * The offset of the first byte that cannot be read as UTF-8: the lead byte of a sequence that
 * is cut short, overlong, a surrogate or beyond U+10FFFF, or a stray continuation byte. Only
 * called on bytes isUtf8 refused, so it always finds one.
 */
export function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    // The allowed range of the second byte depends on the first (RFC 3629 §4): this rules out overlong forms and surrogates.
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k];
      if (next === undefined) return i;
      if (k === 1 ? next < low || next > high : next < 0x80 || next > 0xbf) return i;
    }
    i += length;
  }
  return bytes.length;
}
