/**
 * The part of every floor that reads the inventory: find the same YAML files siteform reads,
 * read them and parse them to plain data, with no positions kept and nothing checked.
 */
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";

export async function readAndParseYaml(dir: string): Promise<number> {
  const files = ["siteform.yaml"];
  for (const top of ["plans", "sites"]) {
    for (const entry of await readdir(join(dir, top), { recursive: true })) if (entry.endsWith(".yaml")) files.push(join(top, entry));
  }
  const parsed = await Promise.all(files.map(async (file) => parse(await readFile(join(dir, file), "utf8")) as unknown));
  return parsed.length;
}
