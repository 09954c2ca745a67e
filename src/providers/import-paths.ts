/**
 * The paths an import writes: a file name made from a name the server reports (a domain, a
 * package) that is safe on any file system and short enough, and never a path already taken
 * (by the inventory, on disk, or earlier in this import: those get a numbered suffix,
 * `sites/acme.example-2.yaml`). Never decides what goes in a file.
 */
import { createHash } from "node:crypto";

/**
 * The longest stem written. A domain may have 253 characters, but a file name at most 255
 * bytes, and the writer first creates a dot-named temporary beside the file (its name plus
 * about 25 characters): a longer stem is cut and keeps a digest of the whole name, so it stays
 * unique and the same on every import.
 */
export const MAX_STEM = 100;

const DIGEST_LENGTH = 8;

/**
 * A file name stem for `name`: lowercase, only letters, digits and `._-` (anything else becomes
 * `-`), starting with a letter or digit, at most MAX_STEM characters; `fallback` when nothing is left.
 * `dots: false` also turns dots into `-` (a plan's name may not hold one).
 */
export function fileStem(name: string, fallback: string, options: { dots: boolean } = { dots: true }): string {
  const unsafe = options.dots ? /[^a-z0-9._-]+/gu : /[^a-z0-9_-]+/gu;
  const cleaned = trimEnds(name.toLowerCase().replace(unsafe, "-"));
  const stem = cleaned === "" ? fallback : cleaned;
  if (stem.length <= MAX_STEM) return stem;
  const digest = createHash("sha256").update(name).digest("hex").slice(0, DIGEST_LENGTH);
  return `${trimEnds(stem.slice(0, MAX_STEM - DIGEST_LENGTH - 1))}-${digest}`;
}

/** Without leading characters other than letters and digits (no hidden file) and without trailing `.`/`-`. */
function trimEnds(text: string): string {
  return text.replace(/^[^a-z0-9]+/u, "").replace(/[.-]+$/u, "");
}

export class FilePaths {
  private readonly taken: Set<string>;

  constructor(
    existing: readonly string[],
    private readonly exists: (path: string) => boolean,
  ) {
    this.taken = new Set(existing);
  }

  private free(path: string): boolean {
    return !this.taken.has(path) && !this.exists(path);
  }

  /** `dir/stem.yaml`, or the first free `dir/stem-N.yaml`; reserves it. */
  claim(dir: string, stem: string): { path: string; stem: string } {
    let chosen = stem;
    for (let n = 2; !this.free(`${dir}/${chosen}.yaml`); n += 1) chosen = `${stem}-${n}`;
    const path = `${dir}/${chosen}.yaml`;
    this.taken.add(path);
    return { path, stem: chosen };
  }
}
