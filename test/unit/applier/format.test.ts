import { describe, expect, it } from "vitest";
import { checkFormat } from "../../../src/applier/index.js";
import { existingSiteProblem, freeNameProblem } from "../../../src/applier/preconditions.js";
import { PLAN_FORMAT_VERSION } from "../../../src/model/index.js";
import { op, plan, site } from "./ops.js";

describe("checkFormat", () => {
  it("accepts the current version with a well-ordered graph", () => {
    const a = op("update", "a.example");
    expect(checkFormat(plan([a, op("update", "b.example", { dependsOn: [a.id] })]))).toEqual({ ok: true });
  });

  it("refuses an unknown format version and says what to do", () => {
    const result = checkFormat({ formatVersion: PLAN_FORMAT_VERSION + 1, ops: [] });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(new RegExp(`format version ${PLAN_FORMAT_VERSION + 1}.*only version ${PLAN_FORMAT_VERSION}.*plan again`));
    expect(checkFormat({ formatVersion: 1, ops: [] }).ok).toBe(false);
    expect(checkFormat({}).ok).toBe(false);
  });

  it("refuses a dependency that does not come before its op, and duplicate ids", () => {
    const a = op("update", "a.example");
    const b = op("update", "b.example", { dependsOn: [a.id] });
    expect(checkFormat(plan([b, a])).ok).toBe(false);
    expect(checkFormat(plan([a, a])).ok).toBe(false);
  });
});

describe("preconditions", () => {
  const acme = site("site1", "acme.example", { services: { diskquota: { quota: 25 } }, adminUser: "acme", aliases: ["www.acme.example"] });

  it("an op on an existing site: every expected value must still hold, compared as the planner compares", () => {
    const update = op("update", "acme.example", { siteId: "site1", preconditions: { fields: { "diskquota.quota": "25", active: true, domain: "acme.example" } } });
    expect(existingSiteProblem(update, acme)).toBeNull();
    expect(existingSiteProblem(update, { ...acme, active: false })).toBe("active was true when planned, is now false");
    expect(existingSiteProblem(update, null)).toBe("site site1 no longer exists");
    expect(existingSiteProblem(update, { ...acme, active: false }, { ignore: new Set(["active"]) })).toBeNull();
  });

  it("a create: its domain (also as another site's alias) and its admin user must be free", () => {
    const create = op("create", "new.example", { preconditions: { freeAdminUser: "acme" } });
    expect(freeNameProblem(create, [])).toBeNull();
    expect(freeNameProblem(create, [acme])).toBe("admin user acme is now taken by site1 (acme.example)");
    const alias = op("create", "www.acme.example");
    expect(freeNameProblem(alias, [acme])).toBe("domain www.acme.example is now taken by site1 (acme.example)");
  });
});
