/**
 * The whole inventory check as one pure function of the files' text: parse each file, check
 * it against its schema, pick out servers, plans, groups and sites, run the cross-file checks,
 * and resolve the desired state when nothing is wrong. Every problem in every file is
 * reported; none stops the others. No I/O (load.ts reads the directory), no clock.
 */
import { createHash } from "node:crypto";
import type { Catalogue, KindModel } from "../kinds/catalogue.js";
import type { Diagnostic, Inventory } from "../model/index.js";
import { catalogueOf } from "../providers/registry.js";
import { checkEnvironment } from "./environment.js";
import { error, hasErrors, sortDiagnostics } from "./diagnostics.js";
import { CONFIG_FILE, classifyPath, compareInventoryPaths, isValidPlanName, planNameOf } from "./file-kinds.js";
import { checkLifecycle } from "./lifecycle.js";
import { configRecord, planRecord, resourceFileRecords, text, type ConfigRecord, type GroupRecord, type InventoryRecords, type PlanRecord, type SiteRecord } from "./records.js";
import { checkReferences } from "./references.js";
import { resolveInventory } from "./resolve.js";
import { CONFIG_SCHEMA, schemasFor, violations, type FileKind } from "./schema.js";
import { suggestion } from "./suggest.js";
import { isRecord } from "./field-path.js";
import { schemaDiagnostics } from "./schema-errors.js";
import { checkUniqueness } from "./uniqueness.js";
import { YamlSource, fileDiagnostic } from "./yaml-source.js";

/** One file of the inventory: its path relative to the root (`/`-separated) and its text, or why it could not be read. */
export type SourceText = { file: string; text: string } | { file: string; unreadable: string };

export interface CheckOptions {
  /** The inventory directory, recorded in the result and used to locate `ca_file`. Default `.`. */
  dir?: string;
  /** Where `key_env` variables are looked up. Default: none set (every key reported missing). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Missing keys and CA files are errors (for every server, or for those listed) instead of warnings. */
  requireKeys?: boolean | readonly string[];
  /** `ca_file` values (as written) found readable; leave undefined to skip that check. */
  readableCaFiles?: ReadonlySet<string>;
  /** The kinds entries may be. Default: those of the providers siteform ships. */
  catalogue?: Catalogue;
  /** `YYYY-MM-DD`: the day days-ahead fields count from (a plan's own day). Default: today (UTC). */
  today?: string;
}

/** Either a resolved inventory (warnings at most) or the errors that prevented it. */
export type InventoryResult =
  | { ok: true; inventory: Inventory; diagnostics: readonly Diagnostic[]; files: readonly string[] }
  | { ok: false; inventory: null; diagnostics: readonly Diagnostic[]; files: readonly string[] };

export function checkInventory(sources: readonly SourceText[], options: CheckOptions = {}): InventoryResult {
  const catalogue = options.catalogue ?? catalogueOf();
  const diagnostics: Diagnostic[] = [];
  const ordered = [...sources].sort((a, b) => compareInventoryPaths(a.file, b.file));
  const parsed: Array<{ kind: FileKind; source: YamlSource }> = [];
  const planNames: string[] = [];
  const files: string[] = [];
  const digests: Record<string, string> = {};
  for (const entry of ordered) {
    const file = entry.file;
    const role = classifyPath(file);
    if (role.kind === "ignored") continue;
    if (role.kind === "misnamed") {
      diagnostics.push(fileDiagnostic(file, "wrong-extension", "siteform reads `.yaml` files only, so this file is not read", `rename it to ${role.expected}`));
      continue;
    }
    files.push(file);
    if (role.kind === "plan") planNames.push(checkPlanName(file, diagnostics));
    if ("unreadable" in entry) {
      diagnostics.push(fileDiagnostic(file, "unreadable-file", `cannot read the file: ${entry.unreadable}`, "check the file's permissions"));
      continue;
    }
    digests[file] = digestOf(entry.text);
    const result = YamlSource.parse(file, entry.text);
    if (!result.ok) {
      diagnostics.push(...result.diagnostics);
      continue;
    }
    diagnostics.push(...result.source.warnings);
    parsed.push({ kind: role.kind, source: result.source });
  }
  if (!files.includes(CONFIG_FILE)) {
    const where = options.dir === undefined ? "the inventory directory" : options.dir;
    diagnostics.push(fileDiagnostic(CONFIG_FILE, "missing-config", `no ${CONFIG_FILE} in ${where}`, "run siteform in the inventory's root directory, or pass --dir"));
  }
  const records = collectRecords(parsed, planNames, catalogue, diagnostics);
  diagnostics.push(
    ...checkReferences(records, catalogue),
    ...checkUniqueness(records),
    ...checkLifecycle(records),
    ...checkEnvironment(records, {
      env: options.env ?? {},
      requireKeys: options.requireKeys ?? false,
      readableCaFiles: options.readableCaFiles,
    }),
  );
  const sorted = sortDiagnostics(diagnostics);
  if (hasErrors(sorted)) return { ok: false, inventory: null, diagnostics: sorted, files };
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const inventory = resolveInventory(records, { dir: options.dir ?? ".", files, digests, catalogue, today });
  return { ok: true, inventory, diagnostics: sorted, files };
}

/** Enough of a sha256 to tell that a file changed; not a security boundary (apply re-derives every plan). */
function digestOf(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex").slice(0, 16);
}

function checkPlanName(file: string, diagnostics: Diagnostic[]): string {
  const name = planNameOf(file);
  if (!isValidPlanName(name)) {
    diagnostics.push(
      error(
        "bad-file-name",
        { file, line: 1, column: 1, path: "" },
        `\`${name}\` cannot be a plan name: sites could not refer to it`,
        "name plan files with lowercase letters, digits, `-` and `_` (for example plans/business.yaml)",
      ),
    );
  }
  return name;
}

/**
 * Which kind a file is: its own `kind:`; else, for a repository plan, the kind whose template
 * entry it writes (`whm_package:`); else the default kind of its server's provider (for a
 * resource) or of the provider every server runs (for a plan); failing those, the first
 * provider's default, so an inventory of one provider needs no `kind:` anywhere, and one of
 * several needs it only where nothing else tells.
 */
function kindOf(source: YamlSource, config: ConfigRecord | null, catalogue: Catalogue, diagnostics: Diagnostic[]): KindModel | null {
  const value = isRecord(source.value) ? source.value : {};
  const entity = { source, path: [], data: value };
  const written = text(entity, "kind");
  if (written !== undefined) {
    const found = catalogue.find(written);
    if (found !== null) return found;
    diagnostics.push(error("unknown-kind", source.ref(["kind"]), `unknown kind \`${written}\``, suggestion(written, catalogue.ids(), "kinds")));
    return null;
  }
  // A repository plan names its template by its kind's own entry (an ApisCP plan, a WHM
  // package): when exactly one kind's entry is there, that is the plan's kind.
  const byTemplate = catalogue.all().filter((k) => k.declaration.template !== null && Object.hasOwn(value, k.declaration.template.entry));
  if (byTemplate.length === 1) return byTemplate[0] ?? null;
  // A group's server may be written on its first member only; which key lists members is the kinds' say.
  const lists = catalogue.all().flatMap((k) => (k.declaration.group === null ? [] : [value[k.declaration.group.members]]));
  const firstMember = lists.find(Array.isArray)?.find(isRecord);
  const server = text(entity, "server") ?? (firstMember !== undefined && typeof firstMember.server === "string" ? firstMember.server : undefined);
  const configured = server === undefined ? undefined : config?.servers.find((s) => s.name === server);
  const provider = configured !== undefined ? providerOf(configured.data) : soleProvider(config);
  const id = (provider === undefined ? null : catalogue.defaultKind(provider)) ?? catalogue.defaultKind(catalogue.providers()[0] ?? "");
  return id === null ? null : catalogue.kind(id);
}

/** A server's provider as written, or the schema's default. */
function providerOf(server: Readonly<Record<string, unknown>>): string {
  return typeof server.provider === "string" ? server.provider : DEFAULT_PROVIDER;
}

const DEFAULT_PROVIDER: string = CONFIG_SCHEMA.$defs.server.properties.provider.default;

/** The provider every server of siteform.yaml runs, when they all run one. */
function soleProvider(config: ConfigRecord | null): string | undefined {
  const providers = new Set(config?.servers.map((s) => providerOf(s.data)) ?? []);
  const [only] = providers;
  return providers.size === 1 ? only : undefined;
}

function collectRecords(parsed: ReadonlyArray<{ kind: FileKind; source: YamlSource }>, planNames: readonly string[], catalogue: Catalogue, diagnostics: Diagnostic[]): InventoryRecords {
  const schemas = schemasFor(catalogue);
  let config: ConfigRecord | null = null;
  for (const { kind, source } of parsed) {
    if (kind !== "config") continue;
    diagnostics.push(...schemaDiagnostics(source, violations(schemas.config, source.value)));
    config = configRecord(source);
  }
  const plans: PlanRecord[] = [];
  const groups: GroupRecord[] = [];
  const sites: SiteRecord[] = [];
  for (const { kind: role, source } of parsed) {
    if (role === "config") continue;
    const kind = kindOf(source, config, catalogue, diagnostics);
    if (kind === null) continue;
    if (role === "plan") {
      const validate = schemas.plan.get(kind.id);
      if (validate === undefined) {
        diagnostics.push(fileDiagnostic(source.file, "plan-kind-mismatch", `${kind.id} has no repository plans`, "remove the file, or give it the `kind:` of a kind with templates"));
        continue;
      }
      diagnostics.push(...schemaDiagnostics(source, violations(validate, source.value)));
      const plan = planRecord(source, planNameOf(source.file), kind);
      if (plan !== null) plans.push(plan);
    } else {
      diagnostics.push(...schemaDiagnostics(source, violations(schemas.resource.get(kind.id) as NonNullable<ReturnType<typeof schemas.resource.get>>, source.value)));
      const found = resourceFileRecords(source, kind);
      if (found.group !== null) groups.push(found.group);
      sites.push(...found.sites);
    }
  }
  return { config, planNames, plans, groups, sites };
}
