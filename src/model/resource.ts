/**
 * Resources as the inventory wants them and as a server reports them, in the core's terms:
 * a kind, an id, a state and fields (`group → field → value`). Which fields are keys, which
 * name the resource and which relate it to another is the kind's declaration (kind.ts), so
 * nothing here knows a panel. Types only.
 */
import type { ResourceState } from "./kind.js";
import type { SourceRef } from "./source-ref.js";

/** A value as a panel reports it (after the wire decoding): scalars, lists and maps to any depth. */
export type ObservedValue = string | number | boolean | null | readonly ObservedValue[] | { readonly [key: string]: ObservedValue };

/** A field's value as written in YAML (lists: dedicated IPs, e-mail lists, aliases). */
export type ParamValue = string | number | boolean | null | readonly string[];

/** group → field → value. */
export type FieldValues<T = ParamValue> = Readonly<Record<string, Readonly<Record<string, T>>>>;

/** What the inventory asks of a resource's life. */
export type LifecycleState = "active" | "suspended" | "cancelled";

export interface DesiredResource {
  /** Stable within one inventory: `sites/acme.yaml`, or `sites/group.yaml#2` for a group's third entry. For messages and maps, not an identity on the server. */
  key: string;
  /** `apiscp/site`. */
  kind: string;
  server: string;
  /** The value of the kind's name key (an ApisCP site's domain). */
  name: string;
  /** The repository plan it names, and the server-side template that plan builds on; null for a kind without templates. */
  plan: { name: string; template: string | null } | null;
  state: LifecycleState;
  /** `YYYY-MM-DD`, set exactly when `state` is `cancelled`. */
  cancelledOn: string | null;
  suspendReason: string | null;
  protect: boolean;
  /** The server-side id when the entry pins one. */
  pinnedId: string | null;
  /**
   * Every managed field: the plan's, group's and entry's settings merged, plus the key,
   * relation and template fields the entry writes. Fields absent here are not managed.
   */
  fields: FieldValues;
  /** The entry itself. */
  source: SourceRef;
}

export interface ObservedResource {
  server: string;
  kind: string;
  /** The panel's own id (`site12`, `4711`). */
  id: string;
  /** The value of the kind's name key, as the server has it now. */
  name: string;
  state: ResourceState;
  /** For a suspended resource, what the panel says of the suspension; null fields when it does not say. */
  suspension?: { since: string | null; reason: string | null };
  /** The fields read: those asked for plus the kind's keys, relations and template. */
  fields: FieldValues<ObservedValue>;
}

/** One server's answer to a collect, or the reason there is none. */
export type ObservedServer =
  | {
      server: string;
      ok: true;
      /** Per kind, in the panel's id order. */
      resources: readonly ObservedResource[];
      /** Per kind, the server-side templates that exist. */
      templates: Readonly<Record<string, readonly string[]>>;
      /** Per kind, the fields that were collected for every resource. */
      fields: Readonly<Record<string, readonly string[]>>;
    }
  | { server: string; ok: false; error: string };
