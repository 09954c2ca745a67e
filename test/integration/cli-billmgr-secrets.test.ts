/**
 * The BILLmanager user's password and the session ids it buys never leave siteform: not in any
 * output (validate, plan in every format and its file, show, drift, import, apply's report,
 * journal and log), not in any file siteform writes, not in a failure's message. Driven through
 * the CLI against the BILLmanager emulator, including the paths that word errors: an apply the
 * server fails, and a password the server refuses. The session ids are collected off the wire by
 * a pass-through proxy between siteform and the emulator (the emulator does not hand them out).
 */
import { createServer, request, type Server } from "node:http";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BILLMGR_CONFIG, everyFile, startTestFleet, type TestFleet } from "./cli-harness.js";


const KEPT = "kind: billmgr/service\nserver: bm1\nname: kept-vps\nitemtype: vds\ntariff: 12\ndatacenter: 1\nperiod: 1\ndomain: kept.example\nautoprolong: 3\n";
const NEW = "kind: billmgr/service\nserver: bm1\nname: new-hosting\nitemtype: vhost\ntariff: 11\ndatacenter: 1\nperiod: 1\ndomain: new.example\n";

const FILES = { "siteform.yaml": BILLMGR_CONFIG, "services/kept.yaml": KEPT, "services/new.yaml": NEW };

/** kept-vps exists with auto-renewal off (an update); a licence nobody wrote down (an import). */
const STATE = {
  services: [
    { id: 101, itemtype: "vds" as const, pricelist: 12, domain: "kept.example", remoteid: "kept-vps" },
    { id: 102, itemtype: "softexternal" as const, pricelist: 14, ip: "203.0.113.5", licname: "web1.example", remoteid: "cl-web1" },
  ],
};

/** A BILLmanager session id as the panel (and the emulator) make them. */
const SESSION_SHAPE = /auth\W{0,3}[0-9a-f]{24}/i;

interface SessionSpy {
  origin: string;
  /** Every session id `func=auth` answered with, and every one sent back as `auth=`. */
  sessions: Set<string>;
  close(): Promise<void>;
}

/** A pass-through proxy to `target` that notes every session id crossing it. */
async function sessionSpy(target: string): Promise<SessionSpy> {
  const sessions = new Set<string>();
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const params = new URLSearchParams(body.toString("utf8"));
      const sent = params.get("auth");
      if (sent !== null) sessions.add(sent);
      const out = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        const back: Buffer[] = [];
        answer.on("data", (chunk: Buffer) => back.push(chunk));
        answer.on("end", () => {
          const text = Buffer.concat(back).toString("utf8");
          if (params.get("func") === "auth") for (const m of text.matchAll(/"\$id"\s*:\s*"([^"]+)"/gu)) sessions.add(m[1] ?? "");
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(Buffer.concat(back));
        });
      });
      out.on("error", () => {
        res.writeHead(502);
        res.end();
      });
      out.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the proxy has no port");
  return {
    origin: `http://127.0.0.1:${address.port}`,
    sessions,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let fleet: TestFleet | undefined;
let spy: SessionSpy | undefined;

afterEach(async () => {
  await spy?.close();
  await fleet?.close();
  fleet = undefined;
  spy = undefined;
});

describe("the BILLmanager password and session ids", () => {
  it("appear in no output, written file or error message of any command", async () => {
    fleet = await startTestFleet(FILES, { billmgrStates: { bm1: STATE } });
    const f = fleet;
    const emulator = f.billmgr.get("bm1");
    if (emulator === undefined) throw new Error("no BILLmanager emulator");
    const password = emulator.password;
    expect(f.env.BM1_PASSWORD).toBe(password);
    // Every call goes through the spy, so every session id siteform is given is seen.
    spy = await sessionSpy(emulator.origin);
    const config = await f.read("siteform.yaml");
    expect(config).toContain(emulator.origin);
    await f.write("siteform.yaml", config.split(emulator.origin).join(spy.origin));

    const outputs: string[] = [];
    const record = (r: { stdout: string; stderr: string }): void => void outputs.push(r.stdout, r.stderr);

    record(await f.cli(["validate", "--require-keys"]));
    for (const format of ["text", "markdown", "json"]) {
      const r = await f.cli(["plan", "--format", format, "-o", `plan-${format}.json`]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      record(r);
    }
    record(await f.cli(["show", "plan-json.json", "--format", "markdown"]));
    const applied = await f.cli(["apply", "plan-json.json", "--journal", "journal.jsonl", "--log-file", "apply.log", "--report-file", "report.json"]);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    record(applied);
    record(await f.cli(["drift", "--format", "json"]));
    const imported = await f.cli(["import", "--server", "bm1"]);
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
    record(imported);

    // An apply the server fails: the suspension fails every time (reading never calls it).
    await f.write("services/kept.yaml", `${KEPT}state: suspended\n`);
    emulator.setKnobs({ failProbability: { "vds.suspend": 1 } });
    const failing = await f.cli(["apply", "--auto-approve", "--log-file", "failing.log", "--report-file", "failing.json"]);
    expect(failing.code, failing.stdout + failing.stderr).toBe(1);
    expect(failing.stdout + failing.stderr).toMatch(/suspend kept-vps/);
    record(failing);
    emulator.setKnobs({ failProbability: {} });
    // A password the server refuses: the message names the server and the variable, never the value.
    const refused = await f.cli(["plan"], { env: { ...f.env, BM1_PASSWORD: `${password}x`, SITEFORM_LOCK_DIR: join(f.root, "locks") } });
    expect(refused.code).toBe(1);
    expect(refused.stdout + refused.stderr).toMatch(/bm1: .*refused the login.*BM1_PASSWORD/);
    record(refused);

    // The runs did their work: the hosting was ordered (once), kept-vps renews by itself and was not suspended, the licence was imported.
    expect(emulator.orders().filter((o) => o.kind === "order")).toHaveLength(1);
    expect(emulator.services().find((s) => s.remoteid === "kept-vps")).toMatchObject({ autoprolong: 3, item_status: 2 });
    expect(emulator.services().some((s) => s.remoteid === "new-hosting")).toBe(true);
    expect(await f.read("licenses/cl-web1.yaml")).toMatch(/name: cl-web1/);

    const everything = `${outputs.join("\n")}\n${await everyFile(f.dir)}`;
    const sessions = [...spy.sessions].filter((s) => s !== "");
    expect(sessions.length).toBeGreaterThan(0);
    for (const secret of [password, ...sessions]) expect(everything.includes(secret), `leaked ${secret}`).toBe(false);
    for (const part of [password.slice(0, Math.ceil(password.length / 2)), password.slice(Math.floor(password.length / 2))]) {
      expect(everything.includes(part), `leaked part of the password: ${part}`).toBe(false);
    }
    expect(everything).not.toMatch(SESSION_SHAPE);
  });
});
