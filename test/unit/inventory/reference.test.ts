import { readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { REFERENCE_END, REFERENCE_START, inventoryReference } from "../../../src/inventory/reference.js";
import { catalogueOf } from "../../../src/providers/registry.js";

const DOC = new URL("../../../docs/inventory.md", import.meta.url);

describe("docs/inventory.md", () => {
  it("holds the reference generated from the schemas", async () => {
    const doc = await readFile(DOC, "utf8");
    const start = doc.indexOf(REFERENCE_START);
    const end = doc.indexOf(REFERENCE_END);
    expect(start, "start marker").toBeGreaterThan(-1);
    expect(end, "end marker").toBeGreaterThan(start);
    const expected = `${REFERENCE_START}\n\n${inventoryReference(catalogueOf())}\n${REFERENCE_END}`;
    const actual = doc.slice(start, end + REFERENCE_END.length);
    if (actual !== expected && process.env.UPDATE_DOCS === "1") {
      await writeFile(DOC, doc.slice(0, start) + expected + doc.slice(end + REFERENCE_END.length));
      return;
    }
    expect(actual, "run UPDATE_DOCS=1 npx vitest run test/unit/inventory/reference.test.ts").toBe(expected);
  });

  it("documents every field of every schema", () => {
    const reference = inventoryReference(catalogueOf());
    for (const field of ["`servers.NAME.key_env`", "`policy.ignore`", "`apiscp_plan`", "`cancelled_on`", "`sites`", "`auth.tpasswd`", "`cgroup.proclimit`", "`spamfilter.provider`"]) {
      expect(reference).toContain(field);
    }
    expect(reference).not.toMatch(/\|\s*\|\s*$/m);
  });
});
