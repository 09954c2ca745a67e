/**
 * `importAccounts`: the YAML that brings a WHM server's accounts into git, as a pure function
 * of the inventory, what the server reports and its packages' defaults. One file per account
 * (`sites/<domain>.yaml`) holding only what differs from its plan, plus a plan for each package
 * no repository plan builds on (`plans/<package>.yaml`), written only when an account names
 * it and holding the limits its accounts repeat. An account that cannot be written as it is is
 * skipped with the reason. Never reuses a
 * path, never writes files (the CLI does), never reads the clock (the date comes in).
 */
import type { Inventory } from "../../../model/inventory.js";
import type { ObservedResource } from "../../../model/resource.js";
import type { ImportedFile, ImportSkip } from "../../module.js";
import { ACCOUNT_KIND } from "../kinds.js";
import { accountEntry, identityEntry, identityProblem, type AccountEntry } from "./account-entry.js";
import { accountResources, accountView, type AccountView } from "./account-view.js";
import { FilePaths, fileStem } from "../../import-paths.js";
import { NamedAccounts } from "./named-accounts.js";
import type { Defaults } from "./overrides.js";
import { PlanChooser, type GeneratedPlan } from "./plan-choice.js";
import { accountFileProblems, fitsPackage } from "./schema-check.js";
import { selectionSkips, selects } from "./selection.js";
import { yamlText } from "./yaml-text.js";

export interface ImportInput {
  inventory: Inventory;
  server: string;
  /** The server's resources as collected (other servers' and kinds' are ignored), in uid order. */
  observed: readonly ObservedResource[];
  /** The packages the server has: an account on any other cannot be planned. */
  packages: readonly string[];
  /** package → its defaults, for the packages that could be read. */
  packageDefaults: Readonly<Record<string, Defaults>>;
  /** uids, users or domains; absent: every account the inventory does not name. */
  select?: readonly string[];
  /** `YYYY-MM-DD`, written into each file's header. */
  date: string;
  /** Whether a path (relative to the inventory, `/`-separated) is taken on disk; the inventory's own files always are. */
  exists?: (path: string) => boolean;
}

export interface ImportResult {
  /** Plans first, then accounts in uid order. */
  files: ImportedFile[];
  skipped: ImportSkip[];
}

interface Context {
  input: ImportInput;
  named: NamedAccounts;
  packages: ReadonlySet<string>;
  paths: FilePaths;
  plans: PlanChooser;
}

/** The accounts an import tries to write: those the inventory does not name, narrowed to the selected ones. */
export function accountsToImport(input: Pick<ImportInput, "inventory" | "server" | "observed" | "select">): AccountView[] {
  const observed = accountResources(input.observed, input.server);
  const named = new NamedAccounts(input.inventory, input.server, observed);
  return candidates(observed.map(accountView), named, input.select);
}

function candidates(accounts: readonly AccountView[], named: NamedAccounts, select: readonly string[] | undefined): AccountView[] {
  return accounts.filter((a) => named.find(a) === null && (select === undefined || select.some((s) => selects(a, s))));
}

export function importAccounts(input: ImportInput): ImportResult {
  const observed = accountResources(input.observed, input.server);
  const accounts = observed.map(accountView);
  const named = new NamedAccounts(input.inventory, input.server, observed);
  const paths = new FilePaths(input.inventory.files, input.exists ?? (() => false));
  const context: Context = {
    input,
    named,
    packages: new Set(input.packages),
    paths,
    plans: new PlanChooser(input.inventory, new Map(Object.entries(input.packageDefaults)), paths),
  };
  const skipped = input.select === undefined ? [] : selectionSkips(input.select, accounts, named);
  const wanted = candidates(accounts, named, input.select);
  // Two rounds: the first shows which accounts are written on which generated plan, so each
  // such plan can take the limits they repeat; the second builds the entries that are kept.
  const firstRound = wanted.flatMap((account) => {
    const draft = accountDraft(account, context);
    return "reason" in draft ? [] : [{ account, pkg: draft.pkg }];
  });
  context.plans.share(firstRound);
  const written: Array<{ file: ImportedFile; plan: string }> = [];
  for (const account of wanted) {
    const draft = accountDraft(account, context);
    if ("reason" in draft) skipped.push({ id: account.id, name: account.domain, reason: draft.reason });
    else written.push(accountFile(account, draft, context));
  }
  const used = new Set(written.map((w) => w.plan));
  const planFiles = context.plans.plansToWrite().filter((plan) => used.has(plan.name)).map((plan) => planFile(plan, input));
  return { files: [...planFiles, ...written.map((w) => w.file)], skipped };
}

function importedLine(input: ImportInput): string {
  return `Imported from server ${input.server} on ${input.date} by siteform import.`;
}

/** A name the server reports, quoted for a message (control characters escaped). */
function quoted(text: string): string {
  return JSON.stringify(text);
}

/** The account's user and package, or why it cannot be written whatever its file would hold. */
function precheck(account: AccountView, context: Context): { user: string; pkg: string } | { reason: string } {
  if (account.user === null) return { reason: "the server reported no user for it" };
  if (account.pkg === null) return { reason: "the server reported no package for it" };
  if (!context.packages.has(account.pkg)) {
    return {
      reason: `its package ${quoted(account.pkg)} does not exist on this server (WHM keeps an account whose package was deleted), so no plan can build on it: create the package again in WHM or move the account to one that exists, then import again`,
    };
  }
  if (!fitsPackage(account.pkg)) {
    return { reason: `its package name ${quoted(account.pkg)} cannot be a plan's whm_package (see src/providers/whm/schemas/plan.schema.json): rename the package in WHM, then import again` };
  }
  const clash = context.named.clash(account);
  if (clash !== null) {
    return {
      reason: `its ${clash.key} ${quoted(clash.value)} is already written in ${clash.entry.source.file}, whose entry the plan does not match to this account (\`siteform plan\` shows why): fix that file, then import again`,
    };
  }
  return { user: account.user, pkg: account.pkg };
}

/** An account's entry before it has a path, or why it cannot be written. */
interface AccountDraft {
  pkg: string;
  entry: AccountEntry;
  notes: string[];
}

function accountDraft(account: AccountView, context: Context): AccountDraft | { reason: string } {
  const checked = precheck(account, context);
  if ("reason" in checked) return checked;
  const { user, pkg } = checked;
  const identity = identityEntry({ ...account, user }, context.input.server);
  const problem = identityProblem(identity);
  if (problem !== null) return { reason: problem };
  const choice = context.plans.choose(account, pkg);
  const entry = accountEntry(identity, choice.plan, choice.overrides);
  const problems = accountFileProblems(entry.value);
  if (problems.length > 0) return { reason: `what the server reports does not fit the account schema: ${problems.join("; ")}` };
  const notes = context.plans.hasDefaults(pkg)
    ? entry.notes
    : [`the defaults of package ${pkg} could not be read: every limit the server reported is written (here, or in the plan when the accounts on it share it)`, ...entry.notes];
  return { pkg, entry, notes };
}

/** The draft's file, at a path claimed now (in uid order). */
function accountFile(account: AccountView, draft: AccountDraft, context: Context): { file: ImportedFile; plan: string } {
  const { path } = context.paths.claim("sites", fileStem(account.domain, "account"));
  const text = yamlText(draft.entry.value, "account.schema.json", [`${importedLine(context.input)} Server uid: ${account.id}.`, ...draft.notes]);
  return { file: { path, text, role: "resource", resources: [{ id: account.id, name: account.domain }] }, plan: String(draft.entry.value.plan) };
}

function planFile(plan: GeneratedPlan, input: ImportInput): ImportedFile {
  const shared = Object.keys(plan.services).length > 0;
  const value: Record<string, unknown> = {
    kind: ACCOUNT_KIND,
    description: shared
      ? `WHM package ${plan.pkg} with the limits its imported accounts share; accounts override what differs.`
      : `WHM package ${plan.pkg} as it is; accounts override what differs.`,
    whm_package: plan.pkg,
  };
  if (shared) value.services = plan.services;
  const lines = [
    importedLine(input),
    `No repository plan built on WHM package ${plan.pkg}, so this one was generated. The package's own limits stay the package's on each server;`,
    shared
      ? `its services are the limits most of the ${plan.accounts} imported accounts on it set alike, and each account file keeps only what differs.`
      : "the imported accounts on it set no limit alike, so it only names the package (every account must name a plan), and each account file carries the limits that differ.",
  ];
  return { path: plan.path, text: yamlText(value, "plan.schema.json", lines), role: "plan", resources: [] };
}
