/**
 * `importSites`: the YAML that brings a server's sites into git, as a pure function of the
 * inventory, what the server reports and the server plans' defaults. One file per invoice
 * group (`sites/<parent domain>.yaml`) or standalone site (`sites/<domain>.yaml`), plus a
 * repository plan for each server plan no repository plan builds on, holding the settings the
 * imported sites on it repeat (so they are written once, not in every file). Never reuses a path
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
  plans: PlanChooser;
}

/** A unit as it will be written, before it has a path: its members (parent first) and their entries. */
interface Draft {
  unit: ImportUnit;
  members: Array<{ site: SiteView; entry: SiteEntry }>;
  /** The file's value: the site's entry, or the group with its members' entries. */
  value: Record<string, unknown>;
}

export function importSites(input: ImportInput): ImportResult {
  const sites = siteViews(input.observed, input.server);
  const named = new NamedSites(input.inventory, input.server);
  const all = importUnits(sites, named);
  const chosen = input.select === undefined ? all : selectUnits(all, input.select, sites, named);
  const paths = new FilePaths(input.inventory.files, input.exists ?? (() => false));
  const context: Context = { input, plans: new PlanChooser(input.inventory, input.planDefaults, paths) };
  // Two rounds: the first shows which sites are written on which generated plan, so each such
  // plan can take the settings they repeat; the second builds the entries that are kept, each
  // overriding only what differs from its plan.
  const firstRound = chosen.units.map((unit) => draftUnit(unit, context, []));
  const written = firstRound.flatMap((draft) => draft?.members ?? []);
  context.plans.share(written.flatMap(({ site }) => (site.plan === null ? [] : [{ ...site, plan: site.plan }])));
  const skipped: Skipped[] = [...chosen.skipped];
  const drafts = chosen.units.flatMap((unit) => {
    const draft = draftUnit(unit, context, skipped);
    return draft === null ? [] : [draft];
  });
  const siteFiles = drafts.map((draft) => draftFile(draft, context.input, paths));
  const used = new Set(drafts.flatMap((draft) => draft.members.map((m) => String(m.entry.value.plan))));
  const planFiles = context.plans.plansToWrite().filter((plan) => used.has(plan.name)).map((plan) => planFile(plan, input));
  return { files: [...planFiles, ...siteFiles], skipped };
}

function importedLine(input: ImportInput): string {
  return `Imported from server ${input.server} on ${input.date} by siteform import.`;
}

function identities(sites: readonly SiteView[]): Array<{ id: string; name: string }> {
  return sites.map((site) => ({ id: site.id, name: site.domain }));
}

/** The unit's draft, or null when it cannot be written; why goes to `skipped`. */
function draftUnit(unit: ImportUnit, context: Context, skipped: Skipped[]): Draft | null {
  return unit.kind === "standalone" ? standaloneDraft(unit, context, skipped) : groupDraft(unit, context, skipped);
}

function standaloneDraft(unit: ImportUnit & { kind: "standalone" }, context: Context, skipped: Skipped[]): Draft | null {
  const site = unit.site;
  const entry = siteEntry(site, { kind: "standalone", server: context.input.server }, context.plans);
  if ("error" in entry) {
    skipped.push({ id: site.id, name: site.domain, reason: entry.error });
    return null;
  }
  const problems = siteFileProblems(entry.value);
  if (problems.length > 0) {
    skipped.push({ id: site.id, name: site.domain, reason: `what the server reports does not fit the site schema: ${problems.join("; ")}` });
    return null;
  }
  return { unit, members: [{ site, entry }], value: entry.value };
}

function groupDraft(unit: ImportUnit & { kind: "group" }, context: Context, skipped: Skipped[]): Draft | null {
  const members: Array<{ site: SiteView; entry: SiteEntry }> = [];
  for (const site of [unit.parent, ...unit.children]) {
    const entry = siteEntry(site, { kind: "member" }, context.plans);
    if ("error" in entry) {
      const why = site === unit.parent ? `${entry.error}; it is the parent of invoice group ${unit.invoice}, so the group is not imported` : entry.error;
      skipped.push({ id: site.id, name: site.domain, reason: why });
      if (site === unit.parent) return skipGroup(unit.children, unit.invoice, skipped);
      continue;
    }
    members.push({ site, entry });
  }
  const value = { invoice: unit.invoice, server: context.input.server, sites: members.map((m) => m.entry.value) };
  const problems = siteFileProblems(value);
  if (problems.length > 0) {
    const reason = `what the server reports does not fit the site schema: ${problems.join("; ")}`;
    for (const { site } of members) skipped.push({ id: site.id, name: site.domain, reason });
    return null;
  }
  return { unit, members, value };
}

function skipGroup(children: readonly SiteView[], invoice: string, skipped: Skipped[]): null {
  for (const child of children) {
    skipped.push({ id: child.id, name: child.domain, reason: `the parent of its invoice group ${invoice} cannot be imported` });
  }
  return null;
}

/** The draft's file: a path of its own (claimed now, in the server's id order) and its text. */
function draftFile(draft: Draft, input: ImportInput, paths: FilePaths): ImportedFile {
  const sites = identities(draft.members.map((m) => m.site));
  if (draft.unit.kind === "standalone") {
    const { site, entry } = draft.members[0] as { site: SiteView; entry: SiteEntry };
    const { path } = paths.claim("sites", fileStem(site.domain, "site"));
    const lines = [`${importedLine(input)} Server id: ${site.id}.`, ...(draft.unit.note === null ? [] : [draft.unit.note]), ...entry.notes];
    return { path, text: yamlText(draft.value, { schema: "site.schema.json", lines }), role: "resource", resources: sites };
  }
  const unit = draft.unit;
  const { path } = paths.claim("sites", fileStem(unit.parent.domain, "group"));
  const lines = [importedLine(input), `Invoice group ${unit.invoice}: the parent (server id ${unit.parent.id}) first, then the sites billed on its invoice.`];
  const memberNotes = draft.members.map((m) => [`server id ${m.site.id}`, ...m.entry.notes]);
  return { path, text: yamlText(draft.value, { schema: "site.schema.json", lines }, memberNotes), role: "group", resources: sites };
}

function planFile(plan: GeneratedPlan, input: ImportInput): ImportedFile {
  const shared = Object.keys(plan.services).length > 0;
  const value: Record<string, unknown> = {
    description: shared
      ? `Server plan ${plan.serverPlan} with the settings its imported sites share; sites override what differs.`
      : `Server plan ${plan.serverPlan} as it is; sites override what differs.`,
    apiscp_plan: plan.serverPlan,
  };
  if (shared) value.services = plan.services;
  const lines = [
    importedLine(input),
    `No repository plan built on server plan ${plan.serverPlan}, so this one was generated.`,
    shared
      ? `Its services are the settings most of the ${plan.sites} imported sites on it have in common; each site file keeps only what differs.`
      : `The imported sites on it have no setting in common that differs from the server plan, so it only names the server plan (every site must name a plan).`,
  ];
  return { path: plan.path, text: yamlText(value, { schema: "plan.schema.json", lines }), role: "plan", resources: [] };
}
