/** The validate bench's floor, run as its own node process like siteform: read and parse the inventory's YAML. Argument: the directory. */
import { readAndParseYaml } from "./read-yaml.js";

const [dir] = process.argv.slice(2);
if (dir === undefined) throw new Error("usage: parse-floor DIR");
await readAndParseYaml(dir);
