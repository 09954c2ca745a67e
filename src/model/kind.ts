/**
 * What a provider declares about one kind of resource it manages, without I/O: the fields and
 * their marks, how a resource is identified and matched, how the panel's states map onto the
 * core's, its relations, and what it can do. The core plans any kind from this alone; the
 * values live in each provider's folder (`src/providers/<panel>/kinds.ts`). Types only.
 */

/** The core's reading of a panel's states. A transitional resource is waited for, never acted on twice. */
export type ResourceState = "active" | "suspended" | "transitional" | "gone";

/** The actions every kind has; a kind may add its own (`renew`). */
export type CoreAction = "delete" | "suspend" | "update" | "create" | "activate";

/**
 * A key a resource is known by: its primary name, a login, an alias list, an invoice. Keys of
 * one namespace share their names (a domain and an alias), unique within the scope.
 */
export interface KeyDeclaration {
  /** The key's name: the inventory entry field that writes it, and how relations refer to it (`domain`). */
  name: string;
  /** The field that holds it (`group.field`). */
  field: string;
  /** How messages name it (`admin user`). */
  label: string;
  /** The value is a list of names (aliases). */
  list?: boolean;
  /** Compared without regard to case (domain names). */
  caseInsensitive?: boolean;
  /** Names of one namespace must be distinct within the scope. */
  namespace: string;
  scope: "server" | "inventory";
  /** Changing it on a matched resource is an in-place edit (a rename) that frees the old name. */
  renames: boolean;
  /**
   * The server refuses a second holder of this name. A key that is not (ApisCP's invoice) is
   * still ordered (the holder frees it first) but a holder that keeps it is not refused.
   */
  unique: boolean;
}

/** One step of matching: a desired resource matches an observed one when a desired key's value equals an observed key's. */
export interface MatchStep {
  /** How the plan says it matched (`admin user`, `alias`). */
  label: string;
  /** [desired key name, observed key name] pairs; any pair matching is a match. */
  pairs: ReadonlyArray<readonly [string, string]>;
}

/** A child names its parent by one of the parent's keys; parents are created first, removed last. */
export interface RelationDeclaration {
  /** For messages (`invoice group`, `host site`). */
  name: string;
  /** The child's field that holds the parent's key value. */
  field: string;
  /** The parent: its kind (possibly another provider's) and the key the child's field names. */
  parent: { kind: string; key: string };
  /** Where the parent is looked for: on the same server, or anywhere in the inventory. */
  scope: "server" | "inventory";
}

/**
 * Resources listed together in one inventory file that a relation joins: the first is the
 * parent (its `parentField` gets the group's key), the rest children (their relation field).
 */
export interface GroupDeclaration {
  /** The entry field that names the group and what it is called (`invoice`, `invoice group`). */
  entry: string;
  /** The entry field listing the group's members (`sites`). */
  members: string;
  label: string;
  /** The parent's field that gets the group's value (its key). */
  parentField: string;
  /** The relation whose field the children get. */
  relation: string;
}

/** A server-side template (ApisCP plan, WHM package) that a repository plan builds on. */
export interface TemplateDeclaration {
  /** The repository plan's entry that names it (`apiscp_plan`). */
  entry: string;
  /** The field that holds it on a resource. */
  field: string;
  /** How messages name it (`server plan`). */
  label: string;
  /** Changing it rewrites the fields the resource has not overridden, so every managed field goes along. */
  resetsFields: boolean;
  /** What to tell the operator when the server lacks the template. */
  createHint: string;
}

/** An action beyond the core's: a change of `field` is carried out by it instead of an update. */
export interface ActionDeclaration {
  name: string;
  field: string;
  /** The phrase a plan shows (`renews until`). */
  label: string;
}

export interface KindDeclaration {
  /** `provider/noun`: `apiscp/site`, `billmgr/license`. */
  id: string;
  provider: string;
  /** One resource, for messages (`site`, `licence`). */
  noun: string;
  /**
   * The field schema (JSON Schema 2020-12): `group → field → value`, with the marks the core
   * reads (`x-secret`, `x-siteform-field`, `x-siteform-unit-of`, `x-siteform-set`,
   * `x-siteform-case-insensitive`, `x-siteform-replaced-whole`, `x-siteform-read-only`).
   */
  fields: Readonly<Record<string, unknown>>;
  /**
   * The schema of a resource file of this kind (one entry, or a group): the neutral envelope's
   * fields (schemas/resource.schema.json) plus the kind's own. `services` refers to `fields`
   * as `services.schema.json`.
   */
  entry: Readonly<Record<string, unknown>>;
  /** The schema of a repository plan (a template) for this kind; null when the kind has no repository plans. */
  plan: Readonly<Record<string, unknown>> | null;
  identity: {
    /** The server-assigned id: how it is written, and whether it survives a rename of every key. */
    id: { label: string; pattern: string; survivesRenames: boolean };
    /** The key a resource is called by in plans and messages (`domain`). */
    name: string;
    keys: readonly KeyDeclaration[];
    /** Tried in order after an id pin. */
    match: readonly MatchStep[];
  };
  /** The panel's own states and what they are to the core; documentation for people and tests. */
  states: Readonly<Record<string, ResourceState>>;
  relations: readonly RelationDeclaration[];
  group: GroupDeclaration | null;
  template: TemplateDeclaration | null;
  capabilities: {
    /**
     * Deferred deletion: `server` checks the suspension's age and reason itself when deleting
     * (ApisCP's since/match); `provider` re-reads them right before the call.
     */
    deletion: "server" | "provider";
    /** The panel stores a reason with a suspension (siteform's owner tag goes there). */
    suspendReason: boolean;
    actions: readonly ActionDeclaration[];
    /** Actions that cost money (an order, a renewal). */
    paid: readonly string[];
  };
}
