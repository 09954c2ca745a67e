/**
 * `importSites`: the YAML that brings a server's sites into git, as a pure function of the
 * inventory, what the server reports and the server plans' defaults. One file per invoice
 * group (`sites/<parent domain>.yaml`) or standalone site (`sites/<domain>.yaml`), plus a
 * repository plan for each server plan no repository plan builds on. Never reuses a path
 * (a taken one gets a `-2` suffix); never writes files (write-import.ts does), never reads
 * the clock (the date comes in).
 */
import type { Inventory, ObservedResource } from "../../../model/index.js";
import type { ImportedFile } from "../../module.js";
import { siteFileProblems } from "./catalogue.js";
import { FilePaths, fileStem } from "../../import-paths.js";
import { importUnits, selectUnits, type ImportUnit, type Skipped } from "./import-units.js";
import { NamedSites } from "./named-sites.js";
import type { ServiceMap } from "./overrides.js";
import { PlanChooser, type GeneratedPlan } from "./plan-choice.js";
import { siteEntry, type SiteEntry } from "./site-entry.js";
import { siteViews, type SiteView } from "./site-view.js";
import { yamlText } from "./yaml-text.js";

export interface ImportInput {
  inventory: Inventory;
  server: string;
  /** The server's resources as collected (other servers' and other kinds' are ignored), in the panel's id order. */
  observed: readonly ObservedResource[];
  /** server plan → service → param → default value, for every server plan the sites use. */
  planDefaults: Readonly<Record<string, ServiceMap>>;
  /** Site ids, domains or aliases; absent: every site the inventory does not name. */
  select?: readonly string[];
  /** `YYYY-MM-DD`, written into each file's header. */
  date: string;
  /** Whether a path (relative to the inventory, `/`-separated) is taken on disk; the inventory's own files always are. */
  exists?: (path: string) => boolean;
}

export interface ImportResult {
  /** Plans first, then sites and groups in the server's id order. */
  files: ImportedFile[];
  skipped: Skipped[];
}

interface Context {
  input: ImportInput;
  paths: FilePaths;
  plans: PlanChooser;
  skipped: Skipped[];
}

export function importSites(input: ImportInput): ImportResult {
  const sites = siteViews(input.observed, input.server);
  const named = new NamedSites(input.inventory, input.server);
  const all = importUnits(sites, named);
  const chosen = input.select === undefined ? all : selectUnits(all, input.select, sites, named);
  const paths = new FilePaths(input.inventory.files, input.exists ?? (() => false));
  const context: Context = { input, paths, plans: new PlanChooser(input.inventory, input.planDefaults, paths), skipped: [...chosen.skipped] };
  const siteFiles = chosen.units.flatMap((unit) => {
    const file = unitFile(unit, context);
    return file === null ? [] : [file];
  });
  const used = new Set(siteFiles.flatMap((file) => file.plans));
  const planFiles = context.plans.plansToWrite().filter((plan) => used.has(plan.name)).map((plan) => planFile(plan, input));
  return { files: [...planFiles, ...siteFiles.map((file) => file.file)], skipped: context.skipped };
}

function importedLine(input: ImportInput): string {
  return `Imported from server ${input.server} on ${input.date} by siteform import.`;
}

function identities(sites: readonly SiteView[]): Array<{ id: string; name: string }> {
  return sites.map((site) => ({ id: site.id, name: site.domain }));
}

function unitFile(unit: ImportUnit, context: Context): { file: ImportedFile; plans: string[] } | null {
  return unit.kind === "standalone" ? standaloneFile(unit.site, unit.note, context) : groupFile(unit, context);
}

function standaloneFile(site: SiteView, note: string | null, context: Context): { file: ImportedFile; plans: string[] } | null {
  const entry = siteEntry(site, { kind: "standalone", server: context.input.server }, context.plans);
  if ("error" in entry) {
    context.skipped.push({ id: site.id, name: site.domain, reason: entry.error });
    return null;
  }
  const problems = siteFileProblems(entry.value);
  if (problems.length > 0) {
    context.skipped.push({ id: site.id, name: site.domain, reason: `what the server reports does not fit the site schema: ${problems.join("; ")}` });
    return null;
  }
  const { path } = context.paths.claim("sites", fileStem(site.domain, "site"));
  const lines = [`${importedLine(context.input)} Server id: ${site.id}.`, ...(note === null ? [] : [note]), ...entry.notes];
  const text = yamlText(entry.value, { schema: "site.schema.json", lines });
  return { file: { path, text, role: "resource", resources: identities([site]) }, plans: [String(entry.value.plan)] };
}

function groupFile(unit: ImportUnit & { kind: "group" }, context: Context): { file: ImportedFile; plans: string[] } | null {
  const members: Array<{ site: SiteView; entry: SiteEntry }> = [];
  for (const site of [unit.parent, ...unit.children]) {
    const entry = siteEntry(site, { kind: "member" }, context.plans);
    if ("error" in entry) {
      const why = site === unit.parent ? `${entry.error}; it is the parent of invoice group ${unit.invoice}, so the group is not imported` : entry.error;
      context.skipped.push({ id: site.id, name: site.domain, reason: why });
      if (site === unit.parent) return skipGroup(unit.children, unit.invoice, context);
      continue;
    }
    members.push({ site, entry });
  }
  const value = { invoice: unit.invoice, server: context.input.server, sites: members.map((m) => m.entry.value) };
  const problems = siteFileProblems(value);
  if (problems.length > 0) {
    const reason = `what the server reports does not fit the site schema: ${problems.join("; ")}`;
    for (const { site } of members) context.skipped.push({ id: site.id, name: site.domain, reason });
    return null;
  }
  const { path } = context.paths.claim("sites", fileStem(unit.parent.domain, "group"));
  const lines = [
    importedLine(context.input),
    `Invoice group ${unit.invoice}: the parent (server id ${unit.parent.id}) first, then the sites billed on its invoice.`,
  ];
  const text = yamlText(value, { schema: "site.schema.json", lines }, members.map((m) => [`server id ${m.site.id}`, ...m.entry.notes]));
  const sites = identities(members.map((m) => m.site));
  return { file: { path, text, role: "group", resources: sites }, plans: members.map((m) => String(m.entry.value.plan)) };
}

function skipGroup(children: readonly SiteView[], invoice: string, context: Context): null {
  for (const child of children) {
    context.skipped.push({ id: child.id, name: child.domain, reason: `the parent of its invoice group ${invoice} cannot be imported` });
  }
  return null;
}

function planFile(plan: GeneratedPlan, input: ImportInput): ImportedFile {
  const value = {
    description: `Server plan ${plan.serverPlan} as it is; sites override what differs.`,
    apiscp_plan: plan.serverPlan,
  };
  const lines = [importedLine(input), `No repository plan built on server plan ${plan.serverPlan}, so this one was generated.`];
  return { path: plan.path, text: yamlText(value, { schema: "plan.schema.json", lines }), role: "plan", resources: [] };
}
