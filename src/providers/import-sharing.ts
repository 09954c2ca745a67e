/**
 * Which settings an import moves into a repository plan it generates: those that the resources
 * on that plan repeat, so a server whose sites all carry the same dozens of overrides gets them
 * once in the plan instead of once per file. Provider-neutral and pure: each importer says what
 * every resource would override against a plan that sets nothing, and whether it could write its
 * own value of a field explicitly; this decides the plan's settings. It never decides how a
 * resource's file is written (the importer computes its overrides again against the result).
 */

/** group → field → value, as written under `services:`. */
export type Settings<V> = Record<string, Record<string, V>>;

export interface SharingMember<V> {
  /** What the resource would write under `services:` if its plan set nothing. */
  overrides: Readonly<Record<string, Readonly<Record<string, V>>>>;
  /**
   * Whether it could write its own value of `group.field` instead, should the plan set the
   * field: the server reported a value the schema accepts. Asked only for a field it does not
   * override (its value is the template's default), since a plan setting must never leave a
   * resource with a value the import cannot vouch for.
   */
  canCarry(group: string, field: string): boolean;
}

interface Tally<V> {
  value: V;
  count: number;
}

/** One key per value: lists and scalars compare by their JSON text. */
function keyOf(value: unknown): string {
  return JSON.stringify(value);
}

/**
 * The settings to put in the plan: a field goes there with one value when at least two
 * resources write exactly that value and they are more than half of the plan's resources (so
 * the files get shorter overall: each resource left at the template's default then writes its
 * own value, and there are fewer of those), and every resource that does not override the field
 * can write its own value. Fields keep the order in which the resources first name them.
 */
export function sharedSettings<V>(members: readonly SharingMember<V>[]): Settings<V> {
  const tallies = new Map<string, Map<string, Map<string, Tally<V>>>>();
  for (const member of members) {
    for (const [group, fields] of Object.entries(member.overrides)) {
      const byField = tallies.get(group) ?? new Map<string, Map<string, Tally<V>>>();
      tallies.set(group, byField);
      for (const [field, value] of Object.entries(fields)) {
        const byValue = byField.get(field) ?? new Map<string, Tally<V>>();
        byField.set(field, byValue);
        const tally = byValue.get(keyOf(value));
        if (tally === undefined) byValue.set(keyOf(value), { value, count: 1 });
        else tally.count += 1;
      }
    }
  }
  const shared: Settings<V> = {};
  for (const [group, byField] of tallies) {
    for (const [field, byValue] of byField) {
      const top = [...byValue.values()].reduce((best, t) => (t.count > best.count ? t : best));
      if (top.count < 2 || top.count * 2 <= members.length) continue;
      const others = members.filter((m) => m.overrides[group]?.[field] === undefined);
      if (!others.every((m) => m.canCarry(group, field))) continue;
      (shared[group] ??= {})[field] = top.value;
    }
  }
  return shared;
}

/** How many fields `settings` holds. */
export function settingsCount<V>(settings: Readonly<Record<string, Readonly<Record<string, V>>>>): number {
  return Object.values(settings).reduce((n, fields) => n + Object.keys(fields).length, 0);
}
