/**
 * The kinds siteform can plan, as one value built from the providers' declarations and handed
 * to validation, planning, apply and the renderers: never a module-level cache, so a test can
 * plan with a provider of its own beside the real ones. A KindModel answers what the core asks
 * of one kind (a field's marks, its keys, its actions) from the declaration alone.
 */
import type { ActionDeclaration, KeyDeclaration, KindDeclaration } from "../model/kind.js";
import { MARKS } from "./marks.js";

/** What a field's schema says of it. */
export interface FieldMarks {
  /** Never in git, never shown. */
  secret: boolean;
  /** The entry field that sets it instead of `services:` (`domain`, `plan`, `state`), or null. */
  entryField: string | null;
  /** Compared as a set: order does not matter, a comma-separated string is a list, empty is absent. */
  set: boolean;
  caseInsensitive: boolean;
  /** The panel replaces the whole value when it changes. */
  replacedWhole: boolean;
  /** Computed by the panel: never set, never diffed. */
  readOnly: boolean;
  /** Satisfied by a value at least as large or as late as the wanted one. */
  atLeast: boolean;
  /** The entry writes a number of days; the wanted value is the date that many days after the reading day. */
  daysAhead: boolean;
  /** The entry field that may name a server instead, and the server's field the value then comes from. */
  fromServer: { entry: string; field: string } | null;
}

/** A size given as an amount and a unit, compared as one size. */
export interface UnitPair {
  amount: string;
  units: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `"on_server.ip"` → its two parts; null when absent or not of that shape. */
function fromServerMark(value: unknown): { entry: string; field: string } | null {
  if (typeof value !== "string") return null;
  const [entry, field, ...rest] = value.split(".");
  return entry && field && rest.length === 0 ? { entry, field } : null;
}

/** A value as an amount: a flag is 0 or 1, nothing is 0, a numeric string its number; null for anything else. */
function amount(value: unknown): number | null {
  if (value === null || value === undefined) return 0;
  if (typeof value === "boolean") return Number(value);
  if (typeof value === "number") return value;
  return typeof value === "string" && /^-?\d+(?:\.\d+)?$/.test(value) ? Number(value) : null;
}

/** A larger number, or a flag turned on. */
function raises(before: unknown, after: unknown): boolean {
  const was = amount(before);
  const will = amount(after);
  return was !== null && will !== null && will > was;
}

export class KindModel {
  readonly id: string;
  private readonly marks = new Map<string, FieldMarks>();
  private readonly units = new Map<string, UnitPair>();
  private readonly keysByField = new Map<string, KeyDeclaration>();
  private readonly relationFields = new Set<string>();
  private readonly actionsByField = new Map<string, ActionDeclaration>();
  private readonly groups: string[] = [];
  /** Fields and whole groups whose increase costs money. */
  private readonly paidIncreases = new Set<string>();
  /** Entry field → the field it sets, in schema order; asked once per entry on every load. */
  private readonly setBy = new Map<string, string>();
  private readonly entryFieldList: ReadonlyArray<{ entry: string; field: string }>;

  constructor(readonly declaration: KindDeclaration) {
    this.id = declaration.id;
    const groups = isRecord(declaration.fields.properties) ? declaration.fields.properties : {};
    for (const [group, schema] of Object.entries(groups)) {
      this.groups.push(group);
      if (isRecord(schema) && schema[MARKS.paidIncrease] === true) this.paidIncreases.add(group);
      const fields = isRecord(schema) && isRecord(schema.properties) ? schema.properties : {};
      for (const [name, spec] of Object.entries(fields)) {
        const s = isRecord(spec) ? spec : {};
        const entry = s[MARKS.entryField];
        if (s[MARKS.paidIncrease] === true) this.paidIncreases.add(`${group}.${name}`);
        this.marks.set(`${group}.${name}`, {
          secret: s[MARKS.secret] === true,
          entryField: typeof entry === "string" ? entry : null,
          set: s[MARKS.set] === true,
          caseInsensitive: s[MARKS.caseInsensitive] === true,
          replacedWhole: s[MARKS.replacedWhole] === true,
          readOnly: s[MARKS.readOnly] === true,
          atLeast: s[MARKS.atLeast] === true,
          daysAhead: s[MARKS.daysAhead] === true,
          fromServer: fromServerMark(s[MARKS.fromServer]),
        });
        if (typeof entry === "string" && !this.setBy.has(entry)) this.setBy.set(entry, `${group}.${name}`);
        const amount = s[MARKS.unitOf];
        if (typeof amount === "string") this.units.set(group, { amount: `${group}.${amount}`, units: `${group}.${name}` });
      }
    }
    this.entryFieldList = [...this.marks].flatMap(([field, m]) => (m.entryField === null ? [] : [{ entry: m.entryField, field }]));
    for (const key of declaration.identity.keys) this.keysByField.set(key.field, key);
    for (const relation of declaration.relations) this.relationFields.add(relation.field);
    for (const action of declaration.capabilities.actions) this.actionsByField.set(action.field, action);
  }

  get noun(): string {
    return this.declaration.noun;
  }

  /** The marks of a `group.field`, or null when the kind has no such field. */
  fieldMarks(field: string): FieldMarks | null {
    return this.marks.get(field) ?? null;
  }

  isSecret(field: string): boolean {
    return this.marks.get(field)?.secret === true;
  }

  /** Every `group` and `group.field` the kind knows. */
  knownFields(): string[] {
    return [...this.groups, ...this.marks.keys()];
  }

  secretFields(): string[] {
    return [...this.marks].filter(([, m]) => m.secret).map(([f]) => f);
  }

  unitPair(group: string): UnitPair | null {
    return this.units.get(group) ?? null;
  }

  /** The field an entry field sets (`domain` → its field), or null. */
  fieldSetBy(entryField: string): string | null {
    return this.setBy.get(entryField) ?? null;
  }

  /** Fields set by entry fields, in schema order: what resolution writes from the entry. */
  entryFields(): ReadonlyArray<{ entry: string; field: string }> {
    return this.entryFieldList;
  }

  key(name: string): KeyDeclaration {
    const key = this.declaration.identity.keys.find((k) => k.name === name);
    if (key === undefined) throw new Error(`kind ${this.id} declares no key ${name}`);
    return key;
  }

  keys(): readonly KeyDeclaration[] {
    return this.declaration.identity.keys;
  }

  /** The key the resource is called by. */
  nameKey(): KeyDeclaration {
    return this.key(this.declaration.identity.name);
  }

  keyOfField(field: string): KeyDeclaration | null {
    return this.keysByField.get(field) ?? null;
  }

  /** A key, relation or group field: what names or joins a resource, never reset by a template change. */
  isStructural(field: string): boolean {
    return this.keysByField.has(field) || this.relationFields.has(field) || this.declaration.group?.parentField === field;
  }

  /** The action a change of this field is carried out by, when it is not an update. */
  actionForField(field: string): ActionDeclaration | null {
    return this.actionsByField.get(field) ?? null;
  }

  /** The fields a reading always needs, whatever the inventory manages: keys, relations, the template. */
  identityFields(): string[] {
    const out = new Set<string>([...this.keysByField.keys(), ...this.relationFields]);
    const group = this.declaration.group;
    if (group !== null) out.add(group.parentField);
    if (this.declaration.template !== null) out.add(this.declaration.template.field);
    return [...out].sort();
  }

  /**
   * Whether an op costs money: its action is one the kind lists as paid, or one of its changes
   * raises a field (or a field of a group) marked paid-increase, such as a service's add-on.
   */
  costsMoney(action: string, changes: ReadonlyArray<{ field: string; before: unknown; after: unknown }> = []): boolean {
    if (this.declaration.capabilities.paid.includes(action)) return true;
    return changes.some((c) => (this.paidIncreases.has(c.field) || this.paidIncreases.has(c.field.slice(0, c.field.indexOf(".")))) && raises(c.before, c.after));
  }
}

export class Catalogue {
  private readonly models = new Map<string, KindModel>();
  private readonly defaults = new Map<string, string>();

  /** The first kind a provider declares is its default: a resource file without `kind:` on its server is one. */
  constructor(declarations: readonly KindDeclaration[]) {
    for (const declaration of declarations) {
      if (this.models.has(declaration.id)) throw new Error(`kind ${declaration.id} is declared twice`);
      this.models.set(declaration.id, new KindModel(declaration));
      if (!this.defaults.has(declaration.provider)) this.defaults.set(declaration.provider, declaration.id);
    }
  }

  kind(id: string): KindModel {
    const model = this.models.get(id);
    if (model === undefined) throw new Error(`unknown kind ${JSON.stringify(id)} (known: ${this.ids().join(", ")})`);
    return model;
  }

  /** The kind's model, or null for one this catalogue does not know (a plan file from a siteform with other providers). */
  find(id: string): KindModel | null {
    return this.models.get(id) ?? null;
  }

  has(id: string): boolean {
    return this.models.has(id);
  }

  ids(): string[] {
    return [...this.models.keys()];
  }

  all(): KindModel[] {
    return [...this.models.values()];
  }

  providers(): string[] {
    return [...this.defaults.keys()];
  }

  /** The default kind of a provider, or null for a provider the catalogue does not know. */
  defaultKind(provider: string): string | null {
    return this.defaults.get(provider) ?? null;
  }

  kindsOf(provider: string): KindModel[] {
    return this.all().filter((k) => k.declaration.provider === provider);
  }

  /** Every `group.field` some kind marks secret: for redacting logs, where the kind is not at hand. */
  secretFields(): string[] {
    return [...new Set(this.all().flatMap((k) => k.secretFields()))].sort();
  }
}
