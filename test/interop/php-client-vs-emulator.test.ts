/**
 * PHP's own SoapClient, used exactly as the WHMCS and Clientexec ApisCP modules use it, drives a
 * whole site lifecycle on the TypeScript emulator (test/interop/php/lifecycle.php): over HTTP
 * and over HTTPS with the emulator's certificate pinned, without a WSDL (key on the endpoint)
 * and with the emulator's WSDL (key in the Auth-Key header). Each step's decoded result is
 * compared exactly, including the PHP types PHP decoded (int ids, int map keys, int quotas),
 * so an encoding the reference client reads differently from what the emulator meant fails here.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/apiscp/server/index.js";
import { parseJsonOutput, requirePhpSoap, runPhpScript, stopAllPhp, tempDir } from "./php-process.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Step {
  name: string;
  result?: Json;
  /** PHP types of the result: "int", "float", …; int map keys as "int:N". */
  shape?: Json;
  fault?: { faultcode: string; faultstring: string };
}

interface Variant {
  mode: "non-wsdl" | "wsdl";
  tls: boolean;
}

const VARIANTS: Variant[] = [
  { mode: "non-wsdl", tls: false },
  { mode: "wsdl", tls: false },
  { mode: "non-wsdl", tls: true },
  { mode: "wsdl", tls: true },
];

const scratch = tempDir("php-lifecycle");
const emulators = new Map<boolean, RunningEmulator>();

beforeAll(async () => {
  requirePhpSoap();
  for (const tls of [false, true]) emulators.set(tls, await startEmulator({ port: 0, tls }));
});

afterAll(async () => {
  await stopAllPhp();
  await Promise.all([...emulators.values()].map((e) => e.stop()));
  scratch.cleanup();
});

async function runLifecycle(variant: Variant, options: { pinCa?: boolean; stopAfter?: "whoami"; abortOn?: boolean; tag?: string } = {}): Promise<Map<string, Step>> {
  const emulator = emulators.get(variant.tls);
  if (emulator === undefined) throw new Error("emulator did not start");
  let cafile: string | null = null;
  if (variant.tls && options.pinCa !== false) {
    if (emulator.caCert === undefined) throw new Error("the HTTPS emulator gave no caCert");
    cafile = join(scratch.path, "emulator-ca.pem");
    writeFileSync(cafile, emulator.caCert);
  }
  const tag = options.tag ?? `${variant.mode}-${variant.tls ? "https" : "http"}`;
  const config = {
    mode: variant.mode,
    endpoint: emulator.url,
    wsdlUrl: emulator.wsdlUrl,
    key: emulator.key,
    cafile,
    domain: `${tag}.example.com`,
    invoice: `INV-${tag}`,
    stopAfter: options.stopAfter ?? null,
    abortOn: options.abortOn ?? true,
  };
  const run = await runPhpScript("lifecycle.php", [JSON.stringify(config)]);
  const output = parseJsonOutput<{ steps: Step[] }>(run);
  return new Map(output.steps.map((s) => [s.name, s]));
}

describe.each(VARIANTS)("PHP SoapClient ($mode, tls $tls) against the emulator", (variant) => {
  const tag = `${variant.mode}-${variant.tls ? "https" : "http"}`;
  const domain = `${tag}.example.com`;
  const renamed = `renamed-${domain}`;
  const invoice = `INV-${tag}`;
  let steps: Map<string, Step>;
  let siteId: number;
  let site: string;

  beforeAll(async () => {
    steps = await runLifecycle(variant);
    const id = steps.get("site-id")?.result;
    siteId = typeof id === "number" ? id : Number.NaN;
    site = `site${siteId}`;
  }, 60_000);

  /** The step's result; fails with the fault PHP got if there was one. */
  function result(name: string): Json | undefined {
    const step = steps.get(name);
    expect(step, `step ${name} did not run; steps: ${[...steps.keys()].join(", ")}`).toBeDefined();
    expect(step?.fault, `step ${name} faulted`).toBeUndefined();
    return step?.result;
  }

  function fault(name: string): { faultcode: string; faultstring: string } | undefined {
    const step = steps.get(name);
    expect(step?.fault, `step ${name} should fault; got ${JSON.stringify(step?.result)}`).toBeDefined();
    return step?.fault;
  }

  it("connects and authenticates (common_whoami)", () => {
    expect(steps.has("connect"), JSON.stringify(steps.get("connect"))).toBe(false);
    expect(result("whoami")).toBe("admin");
    expect(steps.get("whoami")?.shape).toBe("string");
  });

  it("admin_add_site returns true and the id is found by domain as a PHP int", () => {
    expect(result("add")).toBe(true);
    expect(steps.get("add")?.shape).toBe("bool");
    expect(Number.isInteger(siteId)).toBe(true);
    expect(steps.get("site-id")?.shape).toBe("int");
  });

  it("admin_collect by invoice returns exactly the new site, with PHP types intact", () => {
    expect(result("collect")).toEqual({
      [site]: {
        siteinfo: { domain, admin_user: "lcadmin", email: `owner@${domain}` },
        billing: { invoice },
        diskquota: { quota: 5000 },
        aliases: { aliases: [] },
        active: true,
        domain,
      },
    });
    expect(steps.get("collect")?.shape).toEqual({
      [site]: {
        siteinfo: { domain: "string", admin_user: "string", email: "string" },
        billing: { invoice: "string" },
        diskquota: { quota: "int" },
        aliases: { aliases: [] },
        active: "bool",
        domain: "string",
      },
    });
  });

  it("admin_get_domains decodes to a PHP array with int keys", () => {
    const domains = result("domains") as Record<string, Json>;
    expect(domains[String(siteId)]).toBe(domain);
    const shape = steps.get("domains")?.shape as Record<string, Json>;
    expect(shape[`int:${siteId}`]).toBe("string");
  });

  it("a duplicate domain is a readable SOAP fault", () => {
    const f = fault("duplicate-domain");
    expect(f?.faultcode).toBe("SOAP-ENV:Server");
    expect(f?.faultstring).toBe(`domain \`${domain}' already exists (${site})`);
  });

  it("an unknown service parameter is a readable SOAP fault", () => {
    const f = fault("unknown-parameter");
    expect(f?.faultcode).toBe("SOAP-ENV:Server");
    expect(f?.faultstring).toBe("unknown service parameter `siteinfo.bogus'");
  });

  it("admin_edit_site by invoice changes the quota and replaces the aliases", () => {
    expect(result("edit")).toBe(true);
    expect(result("collect-edited")).toEqual({
      [site]: {
        siteinfo: { domain, admin_user: "lcadmin", email: `owner@${domain}` },
        billing: { invoice },
        diskquota: { quota: 10000 },
        aliases: { aliases: [`www.${domain}`] },
        active: true,
        domain,
      },
    });
  });

  it("editing siteinfo.domain renames the site in place", () => {
    expect(result("rename")).toBe(true);
    expect(result("collect-renamed")).toEqual({
      [site]: { siteinfo: { domain: renamed }, active: true, domain: renamed },
    });
    expect(result("id-after-rename")).toBe(siteId);
    expect(result("old-domain-gone")).toBeNull();
    expect(steps.get("old-domain-gone")?.shape).toBe("null");
  });

  it("admin_deactivate_site suspends: collect shows active false", () => {
    expect(result("deactivate")).toBe(true);
    expect(result("collect-inactive")).toEqual({
      [site]: { siteinfo: { domain: renamed }, active: false, domain: renamed },
    });
  });

  it("admin_activate_site by the new domain brings it back", () => {
    expect(result("activate")).toBe(true);
    expect(result("collect-active")).toEqual({
      [site]: { siteinfo: { domain: renamed }, active: true, domain: renamed },
    });
  });

  it("admin_delete_site by invoice removes it; an empty collect is an empty PHP array", () => {
    expect(result("delete")).toBe(true);
    expect(result("id-after-delete")).toBeNull();
    expect(result("collect-after-delete")).toEqual([]);
  });

  it("a wrong key is a readable SOAP fault", () => {
    const f = fault("bad-key");
    expect(f?.faultcode).toBe("SOAP-ENV:Client");
    expect(f?.faultstring).toBe("Invalid API key");
  });
});

describe("PHP SoapClient and the HTTPS emulator's certificate", () => {
  it("without the emulator's CA pinned, PHP refuses the connection (verify_peer is really on)", async () => {
    const steps = await runLifecycle({ mode: "non-wsdl", tls: true }, { pinCa: false, stopAfter: "whoami" });
    expect(steps.get("whoami")?.fault).toEqual({ faultcode: "HTTP", faultstring: "Could not connect to host" });
  });

  it("without the CA pinned, WSDL mode cannot even fetch the WSDL", async () => {
    const steps = await runLifecycle({ mode: "wsdl", tls: true }, { pinCa: false, stopAfter: "whoami" });
    expect(steps.get("connect")?.fault?.faultstring).toMatch(/^SOAP-ERROR: Parsing WSDL: Couldn't load from 'https:/);
  });
});

describe("PHP SoapClient without Abort-On: error", () => {
  it("gets false instead of a fault, which is why billing modules send the header", async () => {
    const steps = await runLifecycle({ mode: "non-wsdl", tls: false }, { abortOn: false, tag: "quiet" });
    expect(steps.get("add")?.result).toBe(true);
    expect(steps.get("duplicate-domain")?.result).toBe(false);
    expect(steps.get("unknown-parameter")?.result).toBe(false);
    expect(steps.get("delete")?.result).toBe(true);
    // Authentication is not an "error" level problem: a wrong key still faults.
    expect(steps.get("bad-key")?.fault?.faultstring).toBe("Invalid API key");
  });
});
