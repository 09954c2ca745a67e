/**
 * Which thread reads which server in a large run (engine/read-aside.ts), through real ApisCP
 * providers and emulators, with the built worker (dist/worker.js, which the test run builds
 * first). The largest server is read here and the next on the helper; what a server reads as
 * never depends on the thread. A helper that cannot start leaves its servers to this thread
 * when the policy is automatic (and the read log says so), and fails them when a helper was
 * asked for (SITEFORM_THREADS=2): the other server is still read.
 */
import { afterEach, describe, expect, it } from "vitest";
import { loadInventory } from "../../src/inventory/index.js";
import type { Inventory } from "../../src/model/inventory.js";
import type { ObservedServer } from "../../src/model/resource.js";
import { observeServers, type ReadEvent } from "../../src/engine/observe.js";
import { READ_ASIDE_FROM, readAside } from "../../src/engine/read-aside.js";
import { withProviders } from "../../src/engine/providers.js";
import { managedFields } from "../../src/planner/index.js";
import { retireHelper, useHelperThreads, type ThreadPolicy } from "../../src/threads/helper-thread.js";
import { SMALL_PLAN_YAML, TWO_SERVERS_CONFIG, addSite, siteYaml, startTestFleet, type TestFleet } from "./cli-harness.js";

const BUILT = new URL("../../dist/worker.js", import.meta.url);
const MISSING = new URL("../../dist/no-such-worker.js", import.meta.url);

let fleet: TestFleet | undefined;

afterEach(async () => {
  retireHelper();
  useHelperThreads(null, "auto");
  await fleet?.close();
  fleet = undefined;
});

interface Reading {
  observed: ObservedServer[];
  /** Per server, the thread its read-finished event names. */
  threads: Record<string, string | undefined>;
}

interface Fixture {
  inventory: Inventory;
  /** The servers read on this thread only, as a one-thread program reads them. */
  alone: Reading;
  /** Both servers read as plan reads them, shared between the threads as `shareAs` decides, with a helper at `entry` under `policy`. */
  read(shareAs: Inventory, entry: URL, policy: ThreadPolicy): Promise<Reading>;
}

/** s1 holds one site; s2 two, one of them not in git. */
async function start(): Promise<Fixture> {
  const f = await startTestFleet({
    "siteform.yaml": TWO_SERVERS_CONFIG,
    "plans/small.yaml": SMALL_PLAN_YAML,
    "sites/alpha.yaml": siteYaml("alpha", "s1"),
    "sites/beta.yaml": siteYaml("beta", "s1"),
    "sites/gamma.yaml": siteYaml("gamma", "s2"),
  });
  fleet = f;
  addSite(f.server("s1"), "alpha.example", "alpha");
  addSite(f.server("s2"), "gamma.example", "gamma");
  addSite(f.server("s2"), "stray.example", "stray");
  const loaded = await loadInventory(f.dir, { env: f.env });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
  const inventory = loaded.inventory;
  const read = async (shareAs: Inventory | null, entry: URL | null, policy: ThreadPolicy): Promise<Reading> => {
    useHelperThreads(entry, policy);
    const threads: Record<string, string | undefined> = {};
    const events = (event: ReadEvent): void => {
      if (event.type === "read-finished") threads[event.server] = event.thread;
    };
    const observed = await withProviders(inventory, ["s1", "s2"], f.env, (providers) =>
      observeServers(providers, (server) => managedFields(inventory, server, inventory.catalogue), 8, events, shareAs === null ? undefined : readAside(shareAs, providers, f.env, undefined)),
    );
    return { observed, threads };
  };
  return { inventory, alone: await read(null, null, "never"), read };
}

/** The inventory as a run with READ_ASIDE_FROM resources sees it: s1 holds nearly all of them. */
function large(inventory: Inventory): Inventory {
  const onS1 = inventory.resources.find((r) => r.server === "s1");
  if (onS1 === undefined) throw new Error("no resource on s1");
  return { ...inventory, resources: [...inventory.resources, ...Array.from({ length: READ_ASIDE_FROM }, () => onS1)] };
}

describe("reads shared with the helper thread", () => {
  it("reads the largest server here and the next on the helper, each as it reads on one thread", async () => {
    const { inventory, alone, read } = await start();
    expect(alone.threads).toEqual({ s1: "main", s2: "main" });
    expect(alone.observed.map((o) => o.ok && o.resources.map((r) => r.name))).toEqual([["alpha.example"], ["gamma.example", "stray.example"]]);
    const shared = await read(large(inventory), BUILT, "auto");
    expect(shared.threads).toEqual({ s1: "main", s2: "helper" });
    expect(shared.observed).toEqual(alone.observed);
  });

  it("keeps a small run on this thread even with a helper at hand", async () => {
    const { inventory, read } = await start();
    const small = await read(inventory, BUILT, "auto");
    expect(small.threads).toEqual({ s1: "main", s2: "main" });
  });

  it("reads the helper's server here when the helper cannot start and the policy is automatic", async () => {
    const { inventory, alone, read } = await start();
    const fallen = await read(large(inventory), MISSING, "auto");
    expect(fallen.threads).toEqual({ s1: "main", s2: "main" });
    expect(fallen.observed).toEqual(alone.observed);
  });

  it("fails only the helper's server when a helper was asked for and cannot start", async () => {
    const { inventory, alone, read } = await start();
    const failed = await read(large(inventory), MISSING, "always");
    expect(failed.observed[0]).toEqual(alone.observed[0]);
    expect(failed.observed[1]).toMatchObject({ server: "s2", ok: false });
  });
});
