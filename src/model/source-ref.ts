/**
 * Where something in the inventory was written: the file (relative to the inventory
 * directory, `/`-separated), 1-based line and column, and the field path inside the file
 * (`sites[1].aliases[0]`). Types only.
 */
export interface SourceRef {
  file: string;
  line: number;
  column: number;
  /** Field path inside the file, `""` for the whole file. */
  path: string;
}
