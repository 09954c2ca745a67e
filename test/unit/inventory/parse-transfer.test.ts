/**
 * A file parsed on the helper thread comes back as plain data (structured clone) and is made a
 * YamlSource again from the text this thread holds: it must be the same source, with the same
 * value, warnings and every position, shallow or deep, as a parse made here.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseForTransfer } from "../../../src/inventory/parse-aside.js";
import { YamlSource, type ParsedYaml } from "../../../src/inventory/yaml-source.js";

const GROUP = `# An invoice group.
invoice: INV-7
server: s1
sites:
  - domain: a.example
    admin_user: a
    email: [one@a.example, two@a.example]
    plan: small
    services:
      diskquota: { quota: 5, units: GB }
  - &b
    domain: b.example
    admin_user: b
    email: b@b.example
    plan: small
`;

function crossed(file: string, text: string): ParsedYaml {
  const [sent] = parseForTransfer([{ at: 0, kind: "resource", file, text }]);
  if (sent === undefined) throw new Error("no parse");
  return YamlSource.received(file, text, structuredClone(sent));
}

const PATHS: ReadonlyArray<ReadonlyArray<string | number>> = [[], ["invoice"], ["sites"], ["sites", 0], ["sites", 1], ["sites", 0, "email", 1], ["sites", 0, "services", "diskquota", "quota"], ["sites", 1, "plan"], ["nope", 3]];

describe("a parse that crossed threads", () => {
  it("has the value, warnings and every position of a parse made here", () => {
    const here = YamlSource.parse("sites/g.yaml", GROUP);
    const there = crossed("sites/g.yaml", GROUP);
    if (!here.ok || !there.ok) throw new Error("both parse");
    expect(there.source.value).toEqual(here.source.value);
    expect(there.source.warnings).toEqual(here.source.warnings);
    for (const path of PATHS) {
      expect(there.source.ref(path)).toEqual(here.source.ref(path));
      expect(there.source.ref(path, "key")).toEqual(here.source.ref(path, "key"));
    }
    expect(there.source.ref(["sites", 0, "services", "diskquota", "quota"]).line).toBe(10);
  });

  it("keeps a failed parse's diagnostics", () => {
    const text = "domain: x.example\nplan: a\nplan: b\n";
    expect(crossed("sites/x.yaml", text)).toEqual(YamlSource.parse("sites/x.yaml", text));
  });

  it("any mapping of scalars: the same value and positions", () => {
    const key = fc.stringMatching(/^[a-z][a-z_]{0,8}$/);
    const scalar = fc.oneof(fc.integer(), fc.boolean(), fc.stringMatching(/^[a-z0-9 ]{0,12}$/).map((s) => s.trim()));
    fc.assert(
      fc.property(fc.dictionary(key, fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(key, scalar, { maxKeys: 3 })), { minKeys: 1, maxKeys: 6 }), (value) => {
        const text = Object.entries(value).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join("\n") + "\n";
        const here = YamlSource.parse("sites/p.yaml", text);
        const there = crossed("sites/p.yaml", text);
        if (!here.ok || !there.ok) return expect(there).toEqual(here);
        expect(there.source.value).toEqual(here.source.value);
        for (const k of Object.keys(value)) {
          expect(there.source.ref([k])).toEqual(here.source.ref([k]));
          expect(there.source.ref([k, 0], "key")).toEqual(here.source.ref([k, 0], "key"));
        }
      }),
      { numRuns: 200 },
    );
  });
});
