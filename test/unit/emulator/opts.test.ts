import { describe, expect, it } from "vitest";
import { fault } from "./harness.js";
import { readOptions } from "../../../src/emulator/apiscp/model/opts.js";

function flat(opts: Parameters<typeof readOptions>[0]): Record<string, unknown> {
  return Object.fromEntries([...readOptions(opts)].map(([key, { value }]) => [key, value]));
}

describe("reading opts", () => {
  it("treats absent, null and the empty PHP array as no options", () => {
    expect(flat(undefined)).toEqual({});
    expect(flat(null)).toEqual({});
    expect(flat([])).toEqual({});
  });

  it("reads dotted, nested and mixed forms to the same normalised values", () => {
    const expected = { "siteinfo.plan": "basic", "diskquota.quota": 5000, "ssh.enabled": 1 };
    expect(flat({ "siteinfo.plan": "basic", "diskquota.quota": "5000", "ssh.enabled": true })).toEqual(expected);
    expect(flat({ siteinfo: { plan: "basic" }, diskquota: { quota: 5000 }, ssh: { enabled: "1" } })).toEqual(expected);
    expect(flat({ "siteinfo.plan": "basic", diskquota: { quota: 5000 }, "ssh.enabled": 1 })).toEqual(expected);
  });

  it("accepts the same field twice only with the same value", () => {
    expect(flat({ "ssh.enabled": 1, ssh: { enabled: true } })).toEqual({ "ssh.enabled": 1 });
    expect(fault(() => readOptions({ "ssh.enabled": 1, ssh: { enabled: 0 } }))).toBe(
      "`ssh.enabled' given twice with different values",
    );
  });

  it("keeps list values whole", () => {
    expect(flat({ aliases: { aliases: ["a.example.com"] } })).toEqual({ "aliases.aliases": ["a.example.com"] });
  });

  it("faults on unknown services and parameters, naming them", () => {
    expect(fault(() => readOptions({ "nosuch.x": 1 }))).toBe("unknown service `nosuch'");
    expect(fault(() => readOptions({ nosuch: { x: 1 } }))).toBe("unknown service `nosuch'");
    expect(fault(() => readOptions({ "siteinfo.colour": "red" }))).toBe("unknown service parameter `siteinfo.colour'");
    expect(fault(() => readOptions({ "siteinfo.plan.x": "a" }))).toBe("unknown service parameter `siteinfo.plan.x'");
  });

  it("refuses the CLI's comma form over the API", () => {
    expect(fault(() => readOptions({ "diskquota,quota": 5 }))).toBe("unknown service `diskquota,quota'");
  });

  it("refuses a bare service with a scalar, and the derived siteinfo.enabled", () => {
    expect(fault(() => readOptions({ ssh: 1 }))).toMatch(/^option `ssh' must be a map of parameters/);
    expect(fault(() => readOptions({ "siteinfo.enabled": 0 }))).toMatch(/^`siteinfo\.enabled' cannot be set/);
  });

  it("refuses an opts argument that is not a map", () => {
    expect(fault(() => readOptions(["siteinfo.plan"]))).toMatch(/^argument opts must be a map/);
    expect(fault(() => readOptions("x"))).toMatch(/^argument opts must be a map/);
  });

  it("names service.param when a value is bad", () => {
    expect(fault(() => readOptions({ cgroup: { proclimit: 5000 } }))).toBe(
      "invalid value 5000 for `cgroup.proclimit': must be at most 4096",
    );
  });
});
