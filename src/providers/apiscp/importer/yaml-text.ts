/**
 * The text of an imported file: the schema modeline editors read first, a header saying where
 * the file came from, then the value, with per-site notes as comments above each group
 * member. Formatting only; what the value holds is decided elsewhere.
 */
import { Document, isNode } from "yaml";

export interface FileHeader {
  /** Schema file name under the provider's schemas folder. */
  schema: string;
  /** Comment lines after the modeline. */
  lines: readonly string[];
}

/** Where the ApisCP schemas are seen from a file under sites/ or plans/ of an inventory in this repository, as the example inventory writes it. */
const SCHEMA_DIR = "../src/providers/apiscp/schemas";

function commentBlock(lines: readonly string[]): string {
  return lines.map((line) => (line === "" ? "" : ` ${line}`)).join("\n");
}

/**
 * `memberNotes[i]` is written above the group's i-th site; pass none for a standalone site,
 * whose notes belong in the header.
 */
export function yamlText(value: Record<string, unknown>, header: FileHeader, memberNotes: readonly (readonly string[])[] = []): string {
  const doc = new Document(value);
  doc.commentBefore = commentBlock([`yaml-language-server: $schema=${SCHEMA_DIR}/${header.schema}`, ...header.lines]);
  memberNotes.forEach((notes, index) => {
    const node: unknown = doc.getIn(["sites", index], true);
    if (!isNode(node)) return;
    // A blank line between members, as in the example inventory.
    if (index > 0) node.spaceBefore = true;
    if (notes.length > 0) node.commentBefore = commentBlock(notes);
  });
  return doc.toString({ lineWidth: 0 });
}
