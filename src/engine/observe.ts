/**
 * Reads every server in scope, in parallel but bounded, one collect per server. A server that
 * fails is reported by name in its ObservedServer; it never stops the others.
 */
import pLimit from "p-limit";
import type { ObservedServer } from "../model/resource.js";
import type { CollectRequest, Provider } from "../providers/provider.js";

/** Servers read at once: enough to hide latency, few enough not to look like an attack. */
export const COLLECT_PARALLELISM = 8;

/** What reading the servers tells the outside world while it runs: for progress and logs, never for decisions. */
export type ReadEvent =
  | { type: "reads-started"; at: number; servers: readonly string[] }
  | { type: "read-started"; at: number; server: string }
  /** `resources`: how many of each kind the server holds (empty when it could not be read). */
  | {
      type: "read-finished";
      at: number;
      server: string;
      ok: boolean;
      resources: Readonly<Record<string, number>>;
      ms: number;
      error: string | null;
      /** Which thread decoded the answer: the helper's when a large run shares the reads (read-aside.ts). */
      thread?: ReadThread;
    };

export type ReadThread = "main" | "helper";

export type ReadEventSink = (event: ReadEvent) => void;

/**
 * Reads a server somewhere other than through its provider here (the helper thread), or null
 * to read it here; the read says which thread it ended on (a failed helper's falls back here).
 */
export type ReadElsewhere = (server: string, request: CollectRequest) => Promise<Read> | null;

export async function observeServers(
  providers: ReadonlyMap<string, Provider>,
  fieldsOf: (server: string) => Readonly<Record<string, readonly string[]>>,
  parallelism = COLLECT_PARALLELISM,
  events: ReadEventSink = () => undefined,
  elsewhere: ReadElsewhere = () => null,
): Promise<ObservedServer[]> {
  const limit = pLimit(parallelism);
  const names = [...providers.keys()].sort();
  events({ type: "reads-started", at: Date.now(), servers: names });
  return Promise.all(
    names.map((name) =>
      limit(() => toldRead(name, events, () => collectOne(providers.get(name), name, fieldsOf, elsewhere))),
    ),
  );
}

export interface Read {
  observed: ObservedServer;
  thread: ReadThread;
}

/** One server's read, with its start and its end (what it holds, how long it took) told to `events`. */
async function toldRead(server: string, events: ReadEventSink, read: () => Promise<Read>): Promise<ObservedServer> {
  const started = Date.now();
  events({ type: "read-started", at: started, server });
  const { observed, thread } = await read();
  const resources: Record<string, number> = {};
  if (observed.ok) for (const r of observed.resources) resources[r.kind] = (resources[r.kind] ?? 0) + 1;
  const at = Date.now();
  events({ type: "read-finished", at, server, ok: observed.ok, resources, ms: at - started, error: observed.ok ? null : observed.error, thread });
  return observed;
}

/** A read through the provider on this thread. */
async function readHere(provider: Provider, request: CollectRequest): Promise<Read> {
  return { observed: await provider.collect(request), thread: "main" };
}

async function collectOne(
  provider: Provider | undefined,
  name: string,
  fieldsOf: (server: string) => Readonly<Record<string, readonly string[]>>,
  elsewhere: ReadElsewhere,
): Promise<Read> {
  if (provider === undefined) return { observed: { server: name, ok: false, error: "no provider" }, thread: "main" };
  try {
    const request = { fields: fieldsOf(name) };
    return await (elsewhere(name, request) ?? readHere(provider, request));
  } catch (err) {
    // collect() reports failures as data; a throw here is a bug, but one server's bug must not hide the others' plans.
    return { observed: { server: name, ok: false, error: err instanceof Error ? err.message : String(err) }, thread: "main" };
  }
}

/**
 * `provider` with its reads of the whole server told to `events`, as observeServers tells
 * them: for a command that reads one server through the provider itself (import).
 */
export function withReadEvents(provider: Provider, events: ReadEventSink): Provider {
  const collect = (request: Parameters<Provider["collect"]>[0]): Promise<ObservedServer> => {
    events({ type: "reads-started", at: Date.now(), servers: [provider.server] });
    return toldRead(provider.server, events, () => readHere(provider, request));
  };
  const quote = provider.quote?.bind(provider);
  return {
    server: provider.server,
    callTimeoutMs: provider.callTimeoutMs,
    collect,
    readResource: (request) => provider.readResource(request),
    readResources: (requests) => provider.readResources(requests),
    execute: (op, options) => provider.execute(op, options),
    ...(quote === undefined ? {} : { quote }),
    templateDefaults: (kind, template) => provider.templateDefaults(kind, template),
    close: () => provider.close(),
  };
}
