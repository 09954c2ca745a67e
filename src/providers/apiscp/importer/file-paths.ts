/**
 * Picks the path of each file an import writes without ever reusing one: a path the
 * inventory already has, one that exists on disk, or one this import already took gets a
 * numbered suffix (`sites/acme.example-2.yaml`). Never decides what goes in the file.
 */
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
