/**
 * What `plan`, `apply`, `drift` say on stderr while they read the servers, so a slow read is
 * never silent: which servers are being read, each one as it finishes (what it holds, how long
 * it took) and, while any is still being read, a reminder every few seconds naming it. On a
 * terminal the lines are plain; in CI each starts with a timestamp; with `--log-format json`
 * each event is one JSON line instead.
 */
import type { Catalogue } from "../kinds/catalogue.js";
import type { ReadEvent, ReadEventSink } from "../engine/observe.js";
import { createApplyLogger } from "../applier/log.js";
import { safeText } from "../render/format-value.js";
import type { CliIO } from "./io.js";
import { logFormatOf } from "./output.js";

/** How often a read still under way is mentioned. */
export const STILL_READING_EVERY_MS = 5_000;

export interface ReadProgress {
  sink: ReadEventSink;
  /** Stops the reminders (the run ended, or was interrupted, before every read finished). */
  close: () => void;
}

export function createReadProgress(io: CliIO, catalogue: Catalogue, options: { now?: () => number; everyMs?: number } = {}): ReadProgress {
  if (logFormatOf(io) === "json") {
    const logger = createApplyLogger({ write: (line: string) => io.stderr(line) }, { catalogue });
    return {
      sink: (event) => {
        if (event.type === "read-finished") logger[event.ok ? "info" : "warn"]({ event: event.type, server: event.server, ok: event.ok, resources: event.resources, ms: event.ms, error: event.error, thread: event.thread ?? "main" }, "server read");
        else if (event.type === "reads-started") logger.info({ event: event.type, servers: event.servers }, "reading servers");
      },
      close: () => undefined,
    };
  }
  const now = options.now ?? Date.now;
  const stamp = io.isTTY ? (): string => "" : (): string => `${new Date(now()).toISOString()} `;
  const pending = new Map<string, number>();
  let timer: NodeJS.Timeout | null = null;
  const close = (): void => {
    if (timer !== null) clearInterval(timer);
    timer = null;
  };
  const remind = (): void => {
    if (pending.size === 0) return close();
    const oldest = Math.min(...pending.values());
    io.stderr(`${stamp()}still reading ${[...pending.keys()].map(safeText).join(", ")} (${seconds(now() - oldest)})\n`);
  };
  const sink = (event: ReadEvent): void => {
    switch (event.type) {
      case "reads-started":
        if (event.servers.length === 0) return;
        io.stderr(`${stamp()}reading ${event.servers.length === 1 ? "1 server" : `${event.servers.length} servers`}: ${event.servers.map(safeText).join(", ")}\n`);
        timer ??= setInterval(remind, options.everyMs ?? STILL_READING_EVERY_MS);
        timer.unref();
        return;
      case "read-started":
        pending.set(event.server, event.at);
        return;
      case "read-finished": {
        pending.delete(event.server);
        const what = event.ok ? holdings(catalogue, event.resources) : "could not be read (see the plan)";
        io.stderr(`${stamp()}read ${safeText(event.server)}: ${what} in ${seconds(event.ms)}\n`);
        if (pending.size === 0) close();
        return;
      }
    }
  };
  return { sink, close };
}

function seconds(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
}

/** `6 sites`, `1 service, 2 licences`, `nothing`: by each kind's own noun. */
function holdings(catalogue: Catalogue, resources: Readonly<Record<string, number>>): string {
  const parts = Object.entries(resources)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([kind, n]) => {
      const noun = catalogue.find(kind)?.noun ?? kind;
      return `${n} ${n === 1 ? noun : `${noun}s`}`;
    });
  return parts.length === 0 ? "nothing" : parts.join(", ");
}
