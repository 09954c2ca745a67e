/**
 * Names that must point at something defined elsewhere: a site's or group's server (in
 * siteform.yaml), a site's plan (a file under plans/), the policy's ignored fields (in the
 * provider's catalogue), and the one server an invoice group lives on. Pure.
 */
import type { Diagnostic } from "../model/index.js";
import { catalogueFields } from "./catalogue.js";
import { error } from "./diagnostics.js";
import { ref, siteServer, text, texts, type Entity, type InventoryRecords, type SiteRecord } from "./records.js";
import { suggestion } from "./suggest.js";

export function checkReferences(records: InventoryRecords): Diagnostic[] {
  return [...checkServers(records), ...checkPlans(records), ...checkIgnored(records), ...checkGroupServers(records)];
}

function checkServers({ config, groups, sites }: InventoryRecords): Diagnostic[] {
  if (config === null) return [];
  const known = config.servers.map((s) => s.name);
  const out: Diagnostic[] = [];
  // Only where a server is written: a child using its group's server is covered by the group.
  for (const entity of [...groups, ...sites] as Entity[]) {
    const name = text(entity, "server");
    if (name === undefined || known.includes(name)) continue;
    out.push(
      error("unknown-server", ref(entity, "server"), `unknown server \`${name}\``, `${suggestion(name, known, "servers in siteform.yaml")}`),
    );
  }
  return out;
}

function checkPlans({ planNames: known, sites }: InventoryRecords): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const site of sites) {
    const name = text(site, "plan");
    if (name === undefined || known.includes(name)) continue;
    const hint = suggestion(name, known, "plans (files under plans/)");
    out.push(error("unknown-plan", ref(site, "plan"), `unknown plan \`${name}\`: there is no plans/${name}.yaml`, hint));
  }
  return out;
}

function checkIgnored({ config }: InventoryRecords): Diagnostic[] {
  if (config === null || config.policy === null) return [];
  const policy = config.policy;
  const known = catalogueFields();
  return texts(policy, "ignore")
    .filter(({ value }) => !known.includes(value))
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
          "every site of an invoice group lives on one server: remove this site's `server:` or move the site out of the group",
        ),
      );
    }
  }
  return out;
}
