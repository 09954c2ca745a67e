/**
 * Names that must point at something defined elsewhere: a server's provider (one siteform
 * knows), an entry's or group's server (in siteform.yaml) and the kind its provider manages, an
 * entry's plan (a file under plans/, for the same kind), the policy's ignored fields (in some
 * kind's fields), and the one server a group lives on. Pure.
 */
import type { Catalogue } from "../kinds/catalogue.js";
import type { Diagnostic } from "../model/index.js";
import { error } from "./diagnostics.js";
import { ref, serversByName, siteServer, text, texts, type Entity, type InventoryRecords, type SiteRecord } from "./records.js";
import { suggestion } from "../text/suggest.js";

export function checkReferences(records: InventoryRecords, catalogue: Catalogue): Diagnostic[] {
  return [
    ...checkProviders(records, catalogue),
    ...checkServers(records),
    ...checkServerValues(records),
    ...checkServerKinds(records, catalogue),
    ...checkPlans(records),
    ...checkIgnored(records, catalogue),
    ...checkGroupServers(records),
  ];
}

function checkProviders({ config }: InventoryRecords, catalogue: Catalogue): Diagnostic[] {
  if (config === null) return [];
  const known = catalogue.providers();
  return config.servers.flatMap((server) => {
    const name = text(server, "provider");
    if (name === undefined || known.includes(name)) return [];
    return [error("unknown-provider", ref(server, "provider"), `unknown provider \`${name}\``, suggestion(name, known, "providers"))];
  });
}

/** An entry of a kind its server's provider does not manage (a licence on an ApisCP server) cannot be planned. */
function checkServerKinds({ config, sites }: InventoryRecords, catalogue: Catalogue): Diagnostic[] {
  if (config === null) return [];
  const out: Diagnostic[] = [];
  const byName = serversByName(config);
  for (const site of sites) {
    const server = siteServer(site);
    const configured = server === undefined ? undefined : byName.get(server.name);
    if (server === undefined || configured === undefined) continue;
    const provider = text(configured, "provider") ?? catalogue.providers()[0] ?? "";
    if (site.kind.declaration.provider === provider || !catalogue.providers().includes(provider)) continue;
    const kinds = catalogue.kindsOf(provider).map((k) => k.id);
    out.push(
      error(
        "unknown-kind",
        ref(server.writtenBy, "server"),
        `\`${server.name}\` runs ${provider}, which does not manage ${site.kind.id}`,
        `put it on a server whose provider manages ${site.kind.id}, or use one of ${provider}'s kinds (${kinds.join(", ")})`,
      ),
    );
  }
  return out;
}

function checkServers({ config, groups, sites }: InventoryRecords): Diagnostic[] {
  if (config === null) return [];
  const known = config.servers.map((s) => s.name);
  const byName = serversByName(config);
  const out: Diagnostic[] = [];
  // Only where a server is written: a child using its group's server is covered by the group.
  for (const entity of [...groups, ...sites] as Entity[]) {
    const name = text(entity, "server");
    if (name === undefined || byName.has(name)) continue;
    out.push(
      error("unknown-server", ref(entity, "server"), `unknown server \`${name}\``, `${suggestion(name, known, "servers in siteform.yaml")}`),
    );
  }
  return out;
}

/**
 * A value an entry may take from a server it names (a licence's IP from `on_server`): exactly
 * one of the two is written, and the named server exists and has that value in siteform.yaml.
 */
function checkServerValues({ config, sites }: InventoryRecords): Diagnostic[] {
  if (config === null) return [];
  const byName = serversByName(config);
  const out: Diagnostic[] = [];
  for (const site of sites) {
    for (const { entry, field } of site.kind.entryFields()) {
      const from = site.kind.fieldMarks(field)?.fromServer ?? null;
      if (from === null) continue;
      const own = site.data[entry] !== undefined;
      const named = text(site, from.entry);
      if (own && named !== undefined) {
        out.push(error("bad-value", ref(site, from.entry, "key"), `\`${entry}\` and \`${from.entry}\` are both given`, `give \`${entry}\`, or name a server with \`${from.entry}\` to take its \`${from.field}\`, not both`));
        continue;
      }
      if (!own && named === undefined && site.data[from.entry] === undefined) {
        out.push(error("missing-field", ref(site), `missing \`${entry}\`, or \`${from.entry}\` naming a server whose \`${from.field}\` it takes`, `write \`${entry}:\`, or \`${from.entry}:\` with a server of siteform.yaml`));
        continue;
      }
      if (named === undefined) continue;
      const server = byName.get(named);
      if (server === undefined) {
        const known = config.servers.map((s) => s.name);
        out.push(error("unknown-server", ref(site, from.entry), `unknown server \`${named}\``, suggestion(named, known, "servers in siteform.yaml")));
      } else if (text(server, from.field) === undefined) {
        out.push(error("missing-field", ref(site, from.entry), `server \`${named}\` has no \`${from.field}\` in siteform.yaml, so \`${entry}\` cannot be taken from it`, `add \`${from.field}:\` to server \`${named}\` in siteform.yaml, or write \`${entry}\` here`));
      }
    }
  }
  return out;
}

function checkPlans({ planNames: known, plans, sites }: InventoryRecords): Diagnostic[] {
  const out: Diagnostic[] = [];
  // Sets and maps, not list searches: 10,000 sites times 1,000 plans would otherwise be ten million comparisons.
  const names = new Set(known);
  const byName = new Map<string, (typeof plans)[number]>();
  for (const plan of plans) if (!byName.has(plan.name)) byName.set(plan.name, plan);
  for (const site of sites) {
    const name = text(site, "plan");
    if (name === undefined) continue;
    if (!names.has(name)) {
      const hint = suggestion(name, known, "plans (files under plans/)");
      out.push(error("unknown-plan", ref(site, "plan"), `unknown plan \`${name}\`: there is no plans/${name}.yaml`, hint));
      continue;
    }
    const plan = byName.get(name);
    if (plan !== undefined && plan.kind !== site.kind) {
      out.push(
        error("plan-kind-mismatch", ref(site, "plan"), `plan \`${name}\` is a template for ${plan.kind.id}, and this entry is ${site.kind.id}`, `name a plan written for ${site.kind.id} (its \`kind:\`)`),
      );
    }
  }
  return out;
}

function checkIgnored({ config }: InventoryRecords, catalogue: Catalogue): Diagnostic[] {
  if (config === null || config.policy === null) return [];
  const policy = config.policy;
  const known = [...new Set(catalogue.all().flatMap((k) => k.knownFields()))];
  const knownSet = new Set(known);
  return texts(policy, "ignore")
    .filter(({ value }) => !knownSet.has(value))
    .map(({ value, index }) =>
      error(
        "unknown-ignore-field",
        policy.source.ref([...policy.path, "ignore", index]),
        `\`${value}\` is not a known service or service parameter`,
        suggestion(value, known, "known fields"),
      ),
    );
}

/**
 * Every site of a group lives on one server. A site may repeat the group's `server:`; when
 * the group has none, every site names one and they must agree with the parent's.
 */
function checkGroupServers({ groups }: InventoryRecords): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const group of groups) {
    const groupServer = text(group, "server");
    const parent: SiteRecord | undefined = group.members.find((m) => m.role === "parent");
    const expected = groupServer ?? (parent === undefined ? undefined : siteServer(parent)?.name);
    if (expected === undefined) continue;
    for (const site of group.members) {
      const own = text(site, "server");
      if (own === undefined || own === expected) continue;
      const whose = groupServer !== undefined ? "its group's" : "its group's parent's";
      out.push(
        error(
          "group-server-mismatch",
          ref(site, "server"),
          `this site is on \`${own}\` but ${whose} server is \`${expected}\``,
          groupHint(group.kind.noun, group.kind.declaration.group?.label ?? "group"),
        ),
      );
    }
  }
  return out;
}

function groupHint(noun: string, label: string): string {
  const article = /^[aeiou]/i.test(label) ? "an" : "a";
  return `every ${noun} of ${article} ${label} lives on one server: remove this ${noun}'s \`server:\` or move the ${noun} out of the group`;
}
