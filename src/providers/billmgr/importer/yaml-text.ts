/**
 * The text of an imported service or licence file: the schema modeline editors read first, a
 * header saying where the file came from and what the reader should check, then the value.
 * Formatting only; what the value holds is decided elsewhere.
 */
import { Document } from "yaml";

/** Where the BILLmanager schemas are seen from a file under services/ or licenses/ of an inventory in this repository, as the example inventory writes them. */
const SCHEMA_DIR = "../src/providers/billmgr/schemas";

export type EntrySchema = "service.schema.json" | "license.schema.json";

export function yamlText(value: Record<string, unknown>, schema: EntrySchema, lines: readonly string[]): string {
  const doc = new Document(value);
  doc.commentBefore = [`yaml-language-server: $schema=${SCHEMA_DIR}/${schema}`, ...lines].map((line) => ` ${line}`).join("\n");
  return doc.toString({ lineWidth: 0 });
}
