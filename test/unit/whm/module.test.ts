/**
 * The WHM module: its name and kinds, and how a server becomes a provider: the token and the
 * user come from the variables siteform.yaml names, and a missing one (or a missing
 * `user_env`) is an error naming the server and the variable, never a value.
 */
import { describe, expect, it } from "vitest";
import type { ServerConfig } from "../../../src/model/server-config.js";
import { WHM } from "../../../src/providers/whm/module.js";
import { importWhm } from "../../../src/providers/whm/importer/index.js";
import { WhmProvider } from "../../../src/providers/whm/provider.js";
import { withStandardPath } from "../../../src/providers/whm/endpoint.js";

const TOKEN = "Q7Z3K9W2M4X8C1V6B5N0L2J7H3G9F4D1";

function server(extra: Partial<ServerConfig> = {}): ServerConfig {
  return {
    name: "cp1",
    provider: "whm",
    url: "https://cp1.example:2087",
    keyEnv: "CP1_TOKEN",
    userEnv: "CP1_USER",
    caFile: null,
    insecureTls: false,
    concurrency: 4,
    timeoutSeconds: 30,
    prune: false,
    retired: false,
    description: null,
    source: { file: "siteform.yaml", line: 2, column: 3, path: "servers.cp1" },
    ...extra,
  };
}

function refusal(config: ServerConfig, env: Record<string, string | undefined>): string {
  try {
    WHM.create(config, env).close();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected create to refuse");
}

describe("the WHM module", () => {
  it("is named whm, titled cPanel/WHM, and declares whm/account first", () => {
    expect(WHM.name).toBe("whm");
    expect(WHM.title).toBe("cPanel/WHM");
    expect(WHM.kinds.map((k) => k.id)).toEqual(["whm/account"]);
    expect(WHM.importer).toBe(importWhm);
  });

  it("makes a provider from the token and user variables, with the call timeout from the server", () => {
    const provider = WHM.create(server(), { CP1_TOKEN: TOKEN, CP1_USER: "root" });
    expect(provider).toBeInstanceOf(WhmProvider);
    expect(provider.server).toBe("cp1");
    expect(provider.callTimeoutMs).toBe(30_000);
    provider.close();
  });

  it("names the server and the variable when one is missing or empty", () => {
    expect(refusal(server(), { CP1_USER: "root" })).toBe(
      'server "cp1": the environment variable CP1_TOKEN is not set; it must hold the server\'s WHM API token (export it, or add it to the CI secrets)',
    );
    expect(refusal(server(), { CP1_TOKEN: TOKEN, CP1_USER: " " })).toMatch(/^server "cp1": the environment variable CP1_USER is empty; it must hold the WHM user/);
    expect(refusal(server({ userEnv: null }), { CP1_TOKEN: TOKEN })).toMatch(/^server "cp1": a WHM server needs `user_env` in siteform\.yaml/);
  });

  it("says why a connection cannot be set up without quoting the token", () => {
    const bad = refusal(server(), { CP1_TOKEN: `${TOKEN}\u0001`, CP1_USER: "root" });
    expect(bad).toMatch(/^server "cp1": cannot set up its connection: the WHM API token contains characters/);
    expect(bad).not.toContain(TOKEN);
    expect(refusal(server({ caFile: "/nonexistent/ca.pem" }), { CP1_TOKEN: TOKEN, CP1_USER: "root" })).toMatch(/cannot read the CA file \/nonexistent\/ca\.pem \(ENOENT\)/);
  });

  it("uses WHM's standard path for a URL without one", () => {
    expect(withStandardPath("https://cp1.example:2087")).toBe("https://cp1.example:2087/json-api");
    expect(withStandardPath("https://cp1.example:2087/")).toBe("https://cp1.example:2087/json-api");
    expect(withStandardPath("http://127.0.0.1:9000/custom")).toBe("http://127.0.0.1:9000/custom");
    expect(withStandardPath("not a url")).toBe("not a url");
  });
});
