import { describe, expect, it } from "vitest";
import { checkFormat } from "../../../src/applier/index.js";
import { existingProblem, freeNameProblem } from "../../../src/applier/preconditions.js";
import { PLAN_FORMAT_VERSION } from "../../../src/model/index.js";
import { CATALOGUE, op, plan, site } from "./ops.js";

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
  const acme = site("site1", "acme.example", { fields: { diskquota: { quota: 25 }, siteinfo: { admin_user: "acme" }, aliases: { aliases: ["www.acme.example"] } } });

  it("an op on an existing site: every expected value must still hold, compared as the planner compares", () => {
    const update = op("update", "acme.example", { id: "site1", preconditions: { fields: { "diskquota.quota": "25", state: "active", "siteinfo.domain": "ACME.example" } } });
    expect(existingProblem(update, acme, CATALOGUE)).toBeNull();
    expect(existingProblem(update, { ...acme, state: "suspended" }, CATALOGUE)).toBe("state was active when planned, is now suspended");
    expect(existingProblem(update, null, CATALOGUE)).toBe("site site1 no longer exists");
    expect(existingProblem(update, { ...acme, state: "suspended" }, CATALOGUE, { ignore: new Set(["state"]) })).toBeNull();
  });

  it("a create: its domain (also as another site's alias) and its admin user must be free", () => {
    const create = op("create", "new.example", {
      preconditions: {
        free: [
          { key: "domain", namespace: "domain", value: "new.example" },
          { key: "admin user", namespace: "admin user", value: "acme" },
        ],
      },
    });
    expect(freeNameProblem(create, [], CATALOGUE)).toBeNull();
    expect(freeNameProblem(create, [acme], CATALOGUE)).toBe("admin user acme is now taken by site1 (acme.example)");
    const alias = op("create", "www.acme.example");
    expect(freeNameProblem(alias, [acme], CATALOGUE)).toBe("domain www.acme.example is now taken by site1 (acme.example)");
  });
});
