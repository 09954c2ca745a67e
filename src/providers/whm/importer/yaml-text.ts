/**
 * The text of an imported file: the schema modeline editors read first, a header saying where
 * the file came from and anything the reader should check, then the value. Formatting only;
 * what the value holds is decided elsewhere.
 */
import { Document } from "yaml";

/** Where the WHM schemas are seen from a file under sites/ or plans/ of an inventory in this repository, as the example inventory writes it. */
const SCHEMA_DIR = "../src/providers/whm/schemas";

export function yamlText(value: Record<string, unknown>, schema: "account.schema.json" | "plan.schema.json", lines: readonly string[]): string {
  const doc = new Document(value);
  doc.commentBefore = [`yaml-language-server: $schema=${SCHEMA_DIR}/${schema}`, ...lines].map((line) => ` ${line}`).join("\n");
  return doc.toString({ lineWidth: 0 });
}
