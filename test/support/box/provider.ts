/**
 * The test provider over a box panel (server.ts), and its ProviderModule `BOX`: what a second
 * provider has to write, and nothing the core had to learn for it. It reads boxes as
 * ObservedResources (the panel's `provisioning` is the core's `transitional`, `deleted` is
 * `gone`), carries out the core's actions and the kind's own `renew`, and checks a deletion's
 * requirement itself (capabilities.deletion `provider`): right before the call it re-reads the
 * box and refuses unless siteform suspended it long enough ago. Panel refusals become
 * `rejected`, lost answers `unknown-outcome`.
 */
import type { Op } from "../../../src/model/op.js";
import type { FieldValues, ObservedResource, ObservedServer, ObservedValue } from "../../../src/model/resource.js";
import type { ServerConfig } from "../../../src/model/server-config.js";
import type { ProviderModule } from "../../../src/providers/module.js";
import { ProviderError, type CollectRequest, type ExecuteResult, type Provider, type ResourceRead } from "../../../src/providers/provider.js";
import { BOX_KIND, BOX_KIND_ID, BOX_PROVIDER, type BoxSize } from "./kind.js";
import { BoxAnswerLost, BoxRefusal, type BoxPanel, type BoxView } from "./server.js";

const DAY_MS = 86_400_000;

/** The fields every reading has: the name key and the host relation. */
const IDENTITY_FIELDS = ["vm.host", "vm.name"];

const STATE: Readonly<Record<BoxView["status"], ObservedResource["state"]>> = {
  provisioning: "transitional",
  running: "active",
  stopped: "suspended",
  deleted: "gone",
};

export interface BoxProviderOptions {
  server: string;
  panel: BoxPanel;
  callTimeoutMs?: number;
  /** The provider's clock for the deletion check (milliseconds); the panel's by default. */
  now?: () => number;
}

function fieldOf(box: BoxView, field: string): ObservedValue | undefined {
  switch (field) {
    case "vm.name":
      return box.name;
    case "vm.host":
      return box.host;
    case "vm.size":
      return box.size;
    case "vm.paid_until":
      return box.paidUntil;
    default:
      return undefined;
  }
}

function observed(server: string, box: BoxView, fields: readonly string[]): ObservedResource {
  const vm: Record<string, ObservedValue> = {};
  for (const field of new Set(["vm.name", ...fields])) {
    const value = fieldOf(box, field);
    if (value !== undefined) vm[field.slice("vm.".length)] = value;
  }
  return {
    server,
    kind: BOX_KIND_ID,
    id: String(box.id),
    name: box.name,
    state: STATE[box.status],
    ...(box.status === "stopped" && {
      suspension: { since: box.suspendedAt === null ? null : new Date(box.suspendedAt).toISOString(), reason: box.suspendReason },
    }),
    fields: { vm },
  };
}

function after(op: Op, field: string): ObservedValue | undefined {
  const change = op.changes.find((c) => c.field === field);
  return change === undefined ? undefined : (change.after as ObservedValue);
}

function text(value: ObservedValue | undefined, what: string): string {
  if (typeof value !== "string" || value === "") throw new ProviderError("protocol", `the op carries no ${what}`, false);
  return value;
}

export class BoxProvider implements Provider {
  readonly server: string;
  readonly callTimeoutMs: number;
  private readonly panel: BoxPanel;
  private readonly now: () => number;
  private closed = false;

  constructor(options: BoxProviderOptions) {
    this.server = options.server;
    this.panel = options.panel;
    this.callTimeoutMs = options.callTimeoutMs ?? 50;
    this.now = options.now ?? (() => this.panel.now());
  }

  async collect(request: CollectRequest): Promise<ObservedServer> {
    if (this.closed) return { server: this.server, ok: false, error: `${this.server}: the connection is closed` };
    const fields = [...new Set([...(request.fields[BOX_KIND_ID] ?? []), ...IDENTITY_FIELDS])].sort();
    const resources = this.panel.list().map((box) => observed(this.server, box, fields));
    return { server: this.server, ok: true, resources, templates: { [BOX_KIND_ID]: [] }, fields: { [BOX_KIND_ID]: fields } };
  }

  async readResource(request: ResourceRead): Promise<ObservedResource | null> {
    this.open();
    if (request.kind !== BOX_KIND_ID) throw new ProviderError("protocol", `${this.server} has no ${request.kind}`, false);
    const box = this.find(request.id, request.name);
    return box === null ? null : observed(this.server, box, request.fields);
  }

  async readResources(requests: readonly ResourceRead[]): Promise<Array<ObservedResource | null>> {
    return Promise.all(requests.map((r) => this.readResource(r)));
  }

  async execute(op: Op): Promise<ExecuteResult> {
    this.open();
    if (op.kind !== BOX_KIND_ID) throw new ProviderError("rejected", `${this.server} cannot ${op.action} a ${op.kind}`, false);
    try {
      return this.carryOut(op);
    } catch (err) {
      if (err instanceof BoxRefusal) throw new ProviderError("rejected", `${this.server} refused to ${op.action} ${op.target.name}: ${err.message}`, false);
      if (err instanceof BoxAnswerLost) throw new ProviderError("unknown-outcome", `${this.server}: ${op.action} ${op.target.name}: ${err.message}`, false);
      throw err;
    }
  }

  async templateDefaults(): Promise<FieldValues<ObservedValue>> {
    return {};
  }

  close(): void {
    this.closed = true;
  }

  private open(): void {
    if (this.closed) throw new ProviderError("transport", `${this.server}: the connection is closed`, true);
  }

  /** By id, else the live box of that name. */
  private find(id: string | null, name: string): BoxView | null {
    if (id !== null) return /^[0-9]+$/.test(id) ? this.panel.get(Number(id)) : null;
    return this.panel.findByName(name);
  }

  /** The op's box: its id, or (for an op on a box this run created) the one its name finds. */
  private target(op: Op): number {
    const box = this.find(op.target.id, op.target.name);
    if (box === null) throw new BoxRefusal("not-found", `no box ${op.target.id ?? op.target.name}`);
    return box.id;
  }

  private carryOut(op: Op): ExecuteResult {
    switch (op.action) {
      case "create": {
        const size = after(op, "vm.size");
        const paid = after(op, "vm.paid_until");
        const id = this.panel.create({
          name: text(after(op, "vm.name"), "name"),
          host: text(after(op, "vm.host"), "host"),
          size: typeof size === "string" ? (size as BoxSize) : null,
          paidUntil: typeof paid === "string" ? paid : null,
        });
        return { id: String(id) };
      }
      case "update": {
        const id = op.target.id === null ? this.target(op) : Number(op.target.id);
        const change: { name?: string; host?: string; size?: BoxSize | null } = {};
        for (const c of op.changes) {
          if (c.field === "vm.name") change.name = text(c.after as ObservedValue, "name");
          else if (c.field === "vm.host") change.host = text(c.after as ObservedValue, "host");
          else if (c.field === "vm.size") change.size = (c.after as BoxSize | null) ?? null;
          else throw new ProviderError("protocol", `an update cannot change ${c.field}`, false);
        }
        this.panel.update(id, change);
        return { id: String(id) };
      }
      case "suspend": {
        const id = this.target(op);
        this.panel.suspend(id, op.flags.reason ?? null);
        return { id: String(id) };
      }
      case "activate": {
        const id = this.target(op);
        this.panel.activate(id);
        return { id: String(id) };
      }
      case "renew": {
        const id = this.target(op);
        this.panel.renew(id, text(after(op, "vm.paid_until"), "paid-until date"));
        return { id: String(id) };
      }
      case "delete":
        return this.deleteChecked(op);
      default:
        throw new ProviderError("rejected", `a box has no action ${op.action}`, false);
    }
  }

  /** The deletion requirement, checked on a fresh reading right before the call. */
  private deleteChecked(op: Op): ExecuteResult {
    const requirement = op.flags.deletion;
    if (requirement === undefined) throw new ProviderError("rejected", `${this.server}: a deletion of ${op.target.name} without its requirement is refused`, false);
    const box = op.target.id === null ? null : this.panel.get(Number(op.target.id));
    if (box === null || box.status === "deleted") throw new BoxRefusal("not-found", `no box ${op.target.id ?? op.target.name}`);
    const refuse = (why: string): never => {
      throw new ProviderError("rejected", `${this.server}: box ${box.id} (${box.name}) was not deleted: ${why}`, false);
    };
    if (box.status !== "stopped" || box.suspendedAt === null) refuse(`it is ${box.status}, not suspended`);
    if (box.suspendReason === null || !box.suspendReason.startsWith(requirement.ownerTag)) refuse(`its suspension reason ${JSON.stringify(box.suspendReason)} is not siteform's (${requirement.ownerTag})`);
    const days = (this.now() - (box.suspendedAt ?? 0)) / DAY_MS;
    if (days < requirement.suspendedDays) refuse(`suspended ${days.toFixed(1)} days ago, less than ${requirement.suspendedDays}`);
    this.panel.delete(box.id);
    return { id: null };
  }
}

/** Which panel a configured server is, by its URL. */
export type PanelLookup = (server: ServerConfig) => BoxPanel | undefined;

const REGISTERED = new Map<string, BoxPanel>();

/** Makes `url` (a box server's `url:` in siteform.yaml) reach `panel` through `BOX`; returns the undo. */
export function registerBoxPanel(url: string, panel: BoxPanel): () => void {
  REGISTERED.set(url, panel);
  return () => {
    if (REGISTERED.get(url) === panel) REGISTERED.delete(url);
  };
}

export function createBoxModule(lookup: PanelLookup, options: { callTimeoutMs?: number } = {}): ProviderModule {
  return {
    name: BOX_PROVIDER,
    title: "Box",
    kinds: [BOX_KIND],
    create(server: ServerConfig, env: Readonly<Record<string, string | undefined>>): Provider {
      // The key is not used by an in-memory panel, but a provider must insist on it as a real one would.
      const key = env[server.keyEnv];
      if (key === undefined || key.trim() === "") throw new Error(`server "${server.name}": the environment variable ${server.keyEnv} is not set; it must hold the box panel's key`);
      const panel = lookup(server);
      if (panel === undefined) throw new Error(`server "${server.name}": no box panel at ${server.url}`);
      return new BoxProvider({ server: server.name, panel, ...(options.callTimeoutMs !== undefined && { callTimeoutMs: options.callTimeoutMs }) });
    },
  };
}

/** The box provider as the registry would list it: panels are found by URL among those registered. */
export const BOX: ProviderModule = createBoxModule((server) => REGISTERED.get(server.url));
