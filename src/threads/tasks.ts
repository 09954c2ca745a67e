/**
 * The work a helper thread does, by name: what each task takes and gives back. Both sides
 * import this file, so a task's input and output are plain data (they cross by structured
 * clone) and its code is the same code the main thread would run.
 */
import type { ParseJob } from "../inventory/source-file.js";
import { parseForTransfer } from "../inventory/parse-aside.js";
import type { TransferredYaml } from "../inventory/yaml-source.js";
import type { ObservedServer } from "../model/resource.js";
import type { ServerConfig } from "../model/server-config.js";
import type { CollectRequest } from "../providers/provider.js";
import { fingerprintOf } from "../planner/fingerprint.js";
import { catalogueOf, createProvider } from "../providers/registry.js";

export interface CollectTask {
  server: ServerConfig;
  env: Readonly<Record<string, string | undefined>>;
  request: CollectRequest;
}

export const TASKS = {
  /** Parses inventory files as the main thread would (limits, diagnostics, shallow positions). */
  "parse-yaml": (jobs: ParseJob[]): TransferredYaml[] => parseForTransfer(jobs),
  /**
   * Reads a whole server through its own provider, which this thread opens and closes, and
   * fingerprints the reading under the shipped providers' catalogue, as the planner would.
   */
  collect: async ({ server, env, request }: CollectTask): Promise<{ observed: ObservedServer; fingerprint: string | null }> => {
    const provider = createProvider(server, env);
    try {
      const observed = await provider.collect(request);
      return { observed, fingerprint: fingerprintOf(observed, catalogueOf()) };
    } finally {
      provider.close();
    }
  },
};

export type TaskName = keyof typeof TASKS;
export type TaskInput<K extends TaskName> = Parameters<(typeof TASKS)[K]>[0];
export type TaskOutput<K extends TaskName> = Awaited<ReturnType<(typeof TASKS)[K]>>;
