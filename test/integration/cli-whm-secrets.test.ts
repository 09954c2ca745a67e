/**
 * The WHM API token never leaves the environment: not in any output (plan in every format, the
 * plan file, show, drift, import, apply's report, journal and log, validate), not in any file
 * siteform writes, not in a failure's message. Driven through the CLI against the WHM emulator,
 * including the paths that word errors: a refused call, a token the server refuses, a server
 * that fails in transport and is retried.
 */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { WhmClient } from "../../src/providers/whm/index.js";
import { WHM_CONFIG, everyFile, startTestFleet, type TestFleet } from "./cli-harness.js";

const FILES = {
  "siteform.yaml": WHM_CONFIG,
  "plans/small.yaml": "whm_package: starter\nservices:\n  limits:\n    mailboxes: 20\n",
  "sites/kept.yaml": "server: cp1\nuser: kept\ndomain: kept.example\nemail: ops@kept.example\nplan: small\nservices:\n  limits:\n    disk_mb: 2048\n",
  "sites/gone.yaml": "server: cp1\nuser: gone\ndomain: gone.example\nemail: ops@gone.example\nplan: small\nstate: cancelled\ncancelled_on: 2020-01-01\n",
};

let fleet: TestFleet | undefined;

afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});


describe("the WHM token", () => {
  it("appears in no output, written file or error message of any command", async () => {
    fleet = await startTestFleet(FILES, { whmStates: { cp1: { accounts: [{ user: "found", domain: "found.example", email: "ops@found.example", plan: "business" }] } } });
    const emulator = fleet.whm.get("cp1");
    if (emulator === undefined) throw new Error("no WHM emulator");
    const token = emulator.token;
    expect(fleet.env.CP1_WHM_TOKEN).toBe(token);
    const outputs: string[] = [];
    const record = (r: { stdout: string; stderr: string }): void => void outputs.push(r.stdout, r.stderr);

    record(await fleet.cli(["validate", "--require-keys"]));
    for (const format of ["text", "markdown", "json"]) {
      const r = await fleet.cli(["plan", "--format", format, "-o", `plan-${format}.json`]);
      expect(r.code, r.stderr).toBe(0);
      record(r);
    }
    record(await fleet.cli(["show", "plan-json.json", "--format", "markdown"]));
    const applied = await fleet.cli(["apply", "plan-json.json", "--journal", "journal.jsonl", "--log-file", "apply.log", "--report-file", "report.json"]);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    record(applied);
    record(await fleet.cli(["drift", "--format", "json"]));
    const imported = await fleet.cli(["import", "--server", "cp1"]);
    expect(imported.code, imported.stderr).toBe(0);
    record(imported);

    // Error paths: a call the server refuses, and a transport failure retried until it gives up.
    const client = new WhmClient({ url: emulator.url, user: emulator.user, token });
    try {
      await client.suspendacct("kept", "support test");
      await client.modifyacct("kept", { contactemail: "new@kept.example" });
    } finally {
      client.close();
    }
    emulator.setKnobs({ failProbability: { unsuspendacct: 1 } });
    const failing = await fleet.cli(["apply", "--auto-approve", "--log-file", "failing.log", "--report-file", "failing.json"]);
    expect(failing.code).toBe(1);
    record(failing);
    emulator.setKnobs({ failProbability: {} });
    // A token the server refuses: the message says which variable, never the value.
    const refused = await fleet.cli(["plan"], { env: { ...fleet.env, CP1_WHM_TOKEN: `${token.slice(0, 31)}${token.endsWith("X") ? "Y" : "X"}`, SITEFORM_LOCK_DIR: join(fleet.root, "locks") } });
    expect(refused.code).toBe(1);
    expect(refused.stdout + refused.stderr).toMatch(/cp1/);
    record(refused);

    // The runs did their work: the account was created and the unknown one imported.
    expect(emulator.accounts().map((a) => a.user).sort()).toEqual(["found", "kept"]);
    expect(await fleet.read("sites/found.example.yaml")).toMatch(/user: found/);
    const everything = `${outputs.join("\n")}\n${await everyFile(fleet.dir)}`;
    for (const secret of [token, token.slice(0, 16), token.slice(16)]) expect(everything.includes(secret), `leaked ${secret}`).toBe(false);
  });
});
