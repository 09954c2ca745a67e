/**
 * An in-memory box panel: the server the test provider (provider.ts) talks to. Boxes have
 * numeric ids from a counter, kept across renames; a new box is `provisioning` for its first
 * few reads, then `running`; a suspension stores its reason and time; a deleted box stays
 * listed as `deleted` (and frees its name). The panel refuses what a real one would: a name
 * another live box holds, a change to a box still provisioning, a renewal that does not extend.
 * It does not check a deletion's grace period: that is the provider's job (capabilities.deletion
 * `provider`). Faults: the answer of a mutating call can be lost after the work was done. Every
 * mutating call is recorded, and reported to `onCall`, so tests see what happened on the
 * server, whatever the client believed. Times are milliseconds from the injected clock.
 */
import type { BoxSize } from "./kind.js";

export type BoxStatus = "provisioning" | "running" | "stopped" | "deleted";

export interface BoxView {
  id: number;
  name: string;
  host: string;
  size: BoxSize | null;
  paidUntil: string | null;
  status: BoxStatus;
  /** Milliseconds (panel clock) of the last suspension; null when not stopped. */
  suspendedAt: number | null;
  suspendReason: string | null;
  createdAt: number;
}

interface BoxRecord extends Omit<BoxView, "status"> {
  status: Exclude<BoxStatus, "provisioning">;
  /** Reads that still see the box as provisioning. */
  provisioningReads: number;
}

export type BoxMethod = "create" | "update" | "suspend" | "activate" | "delete" | "renew";

export interface BoxCall {
  /** Order among every call the panel (and any panel sharing the sequence) carried out. */
  seq: number;
  method: BoxMethod;
  /** The box the call was about (the new one for a create); null when it was refused before one was found. */
  id: number | null;
  /** The box as it was after the call (before it, for a refused one); null when there is none. */
  after: BoxView | null;
  at: number;
  /** Refused: nothing changed. */
  refused: string | null;
  /** Carried out, but the answer was lost. */
  answerLost: boolean;
}

/** The panel said no; nothing changed. */
export class BoxRefusal extends Error {
  constructor(
    readonly code: "not-found" | "taken" | "busy" | "invalid",
    message: string,
  ) {
    super(message);
    this.name = "BoxRefusal";
  }
}

/** The call was carried out, and its answer never reached the client. */
export class BoxAnswerLost extends Error {
  constructor(method: BoxMethod) {
    super(`the answer to ${method} was lost`);
    this.name = "BoxAnswerLost";
  }
}

export interface BoxPanelOptions {
  /** Milliseconds; default Date.now. */
  clock?: () => number;
  /** Reads a new box stays provisioning for. Default 1. */
  provisioningReads?: number;
  /** Whether to lose the answer of this call after carrying it out. */
  loseAnswer?: (method: BoxMethod, call: number) => boolean;
  /** A shared counter, so calls of several servers can be put in one order. */
  sequence?: () => number;
  /** Called after each mutating call (carried out or refused). */
  onCall?: (call: BoxCall) => void;
}

export interface NewBox {
  name: string;
  host: string;
  size?: BoxSize | null;
  paidUntil?: string | null;
}

export class BoxPanel {
  private readonly boxes: BoxRecord[] = [];
  private nextId = 1;
  private calls = 0;
  readonly log: BoxCall[] = [];
  private readonly clock: () => number;
  private readonly sequence: () => number;

  constructor(private readonly options: BoxPanelOptions = {}) {
    this.clock = options.clock ?? Date.now;
    let own = 0;
    this.sequence = options.sequence ?? (() => ++own);
  }

  now(): number {
    return this.clock();
  }

  // ---------- reads: each one counts towards a new box's provisioning ----------

  list(): BoxView[] {
    return this.boxes.map((b) => this.read(b));
  }

  get(id: number): BoxView | null {
    const box = this.boxes.find((b) => b.id === id);
    return box === undefined ? null : this.read(box);
  }

  /** The live box with this name (deleted boxes do not hold names). */
  findByName(name: string): BoxView | null {
    const box = this.live(name);
    return box === undefined ? null : this.read(box);
  }

  /** The state without counting as a read (for tests' assertions). */
  snapshot(): BoxView[] {
    return this.boxes.map((b) => view(b));
  }

  private read(box: BoxRecord): BoxView {
    const seen = view(box);
    if (box.provisioningReads > 0) box.provisioningReads -= 1;
    return seen;
  }

  // ---------- seeding, as an admin would, outside the record ----------

  seed(box: NewBox & { status?: "running" | "stopped" | "provisioning"; suspendedAt?: number; suspendReason?: string; provisioningReads?: number }): number {
    if (this.live(box.name) !== undefined) throw new Error(`seed: ${box.name} is taken`);
    const record = this.make(box);
    record.status = box.status === "stopped" ? "stopped" : "running";
    record.provisioningReads = box.status === "provisioning" ? (box.provisioningReads ?? this.options.provisioningReads ?? 1) : 0;
    if (box.status === "stopped") {
      record.suspendedAt = box.suspendedAt ?? this.clock();
      record.suspendReason = box.suspendReason ?? null;
    }
    this.boxes.push(record);
    return record.id;
  }

  // ---------- mutations ----------

  create(box: NewBox): number {
    return this.mutate("create", null, () => {
      if (this.live(box.name) !== undefined) throw new BoxRefusal("taken", `the name ${box.name} is taken`);
      const record = this.make(box);
      record.provisioningReads = this.options.provisioningReads ?? 1;
      this.boxes.push(record);
      return record;
    }).id;
  }

  update(id: number, change: { name?: string; host?: string; size?: BoxSize | null }): void {
    this.mutate("update", id, () => {
      const box = this.busyCheck(id);
      if (change.name !== undefined && change.name !== box.name) {
        const holder = this.live(change.name);
        if (holder !== undefined) throw new BoxRefusal("taken", `the name ${change.name} is taken by box ${holder.id}`);
        box.name = change.name;
      }
      if (change.host !== undefined) box.host = change.host;
      if (change.size !== undefined) box.size = change.size;
      return box;
    });
  }

  suspend(id: number, reason: string | null): void {
    this.mutate("suspend", id, () => {
      const box = this.busyCheck(id);
      if (box.status !== "stopped") {
        box.status = "stopped";
        box.suspendedAt = this.clock();
      }
      box.suspendReason = reason;
      return box;
    });
  }

  activate(id: number): void {
    this.mutate("activate", id, () => {
      const box = this.busyCheck(id);
      box.status = "running";
      box.suspendedAt = null;
      box.suspendReason = null;
      return box;
    });
  }

  /** Deletes whatever its state: the grace period is the caller's to check. */
  delete(id: number): void {
    this.mutate("delete", id, () => {
      const box = this.busyCheck(id);
      box.status = "deleted";
      return box;
    });
  }

  renew(id: number, until: string): void {
    this.mutate("renew", id, () => {
      const box = this.busyCheck(id);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(until)) throw new BoxRefusal("invalid", `${until} is not a date`);
      if (box.paidUntil !== null && until <= box.paidUntil) throw new BoxRefusal("invalid", `box ${id} is already paid until ${box.paidUntil}`);
      box.paidUntil = until;
      return box;
    });
  }

  private make(box: NewBox): BoxRecord {
    return {
      id: this.nextId++,
      name: box.name,
      host: box.host,
      size: box.size ?? null,
      paidUntil: box.paidUntil ?? null,
      status: "running",
      suspendedAt: null,
      suspendReason: null,
      createdAt: this.clock(),
      provisioningReads: 0,
    };
  }

  private live(name: string): BoxRecord | undefined {
    return this.boxes.find((b) => b.name === name && b.status !== "deleted");
  }

  /** The box, if it exists, is not deleted and is not provisioning. */
  private busyCheck(id: number): BoxRecord {
    const box = this.boxes.find((b) => b.id === id);
    if (box === undefined || box.status === "deleted") throw new BoxRefusal("not-found", `no box ${id}`);
    if (box.provisioningReads > 0) throw new BoxRefusal("busy", `box ${id} is still provisioning`);
    return box;
  }

  private mutate(method: BoxMethod, id: number | null, work: () => BoxRecord): BoxRecord {
    this.calls += 1;
    const at = this.clock();
    let box: BoxRecord;
    try {
      box = work();
    } catch (err) {
      if (!(err instanceof BoxRefusal)) throw err;
      const current = id === null ? undefined : this.boxes.find((b) => b.id === id);
      this.record({ seq: this.sequence(), method, id, after: current === undefined ? null : view(current), at, refused: err.message, answerLost: false });
      throw err;
    }
    const lost = this.options.loseAnswer?.(method, this.calls) === true;
    this.record({ seq: this.sequence(), method, id: box.id, after: view(box), at, refused: null, answerLost: lost });
    if (lost) throw new BoxAnswerLost(method);
    return box;
  }

  private record(call: BoxCall): void {
    this.log.push(call);
    this.options.onCall?.(call);
  }
}

function view(box: BoxRecord): BoxView {
  const { provisioningReads, status, ...rest } = box;
  return { ...rest, status: provisioningReads > 0 ? "provisioning" : status };
}
