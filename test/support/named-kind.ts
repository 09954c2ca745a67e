/**
 * A small test-only kind, shaped like most panels' resources: one field group whose `name`
 * field names the resource (set by the entry's `name`), a numeric id that survives renames,
 * matched by name, no templates or relations. Tests override what they are about (paid
 * actions, an action of its own, states).
 */
import type { KindDeclaration } from "../../src/model/index.js";

/** `id` is `provider/noun`; `fields` are the group's fields besides `name`. */
export function namedKind(id: string, fields: Readonly<Record<string, unknown>>, overrides: Partial<KindDeclaration> = {}): KindDeclaration {
  const [provider = id, noun = id] = id.split("/");
  return {
    id,
    provider,
    noun,
    fields: {
      type: "object",
      properties: { [noun]: { type: "object", properties: { name: { type: "string", "x-siteform-field": "name" }, ...fields } } },
    },
    entry: {},
    plan: null,
    identity: {
      id: { label: `${noun} id`, pattern: "^[0-9]+$", survivesRenames: true },
      name: "name",
      keys: [{ name: "name", field: `${noun}.name`, label: `${noun} name`, namespace: noun, scope: "server", renames: true, unique: true }],
      match: [{ label: "name", pairs: [["name", "name"]] }],
    },
    states: { active: "active", suspended: "suspended" },
    relations: [],
    group: null,
    template: null,
    capabilities: { deletion: "provider", suspendReason: false, actions: [], paid: [] },
    ...overrides,
  };
}
