/**
 * The whole inventory check as one pure function of the files' text: parse each file
 * (source-file.ts), check it against its schema, pick out servers, plans, groups and sites, run
 * the cross-file checks, and resolve the desired state when nothing is wrong. Every problem in
 * every file is reported; none stops the others. Written as a generator that yields between
 * files and between checks, so that loadInventory can let a signal stop it (steps.ts). No I/O
 * (load.ts reads the directory), no clock.
 */
import type { Catalogue, KindModel } from "../kinds/catalogue.js";
import type { Diagnostic, Inventory } from "../model/index.js";
import { catalogueOf } from "../providers/registry.js";
import { checkEnvironment } from "./environment.js";
import { append, error, hasErrors, sortDiagnostics } from "./diagnostics.js";
import { CONFIG_FILE, planNameOf } from "./file-kinds.js";
import { checkLifecycle } from "./lifecycle.js";
import { configRecord, planRecord, resourceFileRecords, serversByName, text, type ConfigRecord, type GroupRecord, type InventoryRecords, type PlanRecord, type SiteRecord } from "./records.js";
import { checkReferences } from "./references.js";
import { resolveInventory } from "./resolve.js";
import { CONFIG_SCHEMA, schemasFor, violations, type FileKind } from "./schema.js";
import { readSources, type ReadFiles, type SourceText } from "./source-file.js";
import { runToEnd } from "./steps.js";
import { suggestion } from "../text/suggest.js";
import { isRecord } from "./field-path.js";
import { schemaDiagnostics } from "./schema-errors.js";
import { guardSecrets } from "./secret-boundaries.js";
import { checkUniqueness } from "./uniqueness.js";
import { fileDiagnostic, type YamlSource } from "./yaml-source.js";

export type { SourceText } from "./source-file.js";

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
  return runToEnd(checkSteps(runToEnd(readSources(sources)), options));
}

/** checkInventory on files already read and parsed, yielding between slices of work (run by steps.ts). */
export function* checkSteps(read: ReadFiles, options: CheckOptions = {}): Generator<void, InventoryResult> {
  const catalogue = options.catalogue ?? catalogueOf();
  const { parsed, planNames, files, digests } = read;
  const diagnostics: Diagnostic[] = [...read.diagnostics];
  if (!files.includes(CONFIG_FILE)) {
    const where = options.dir === undefined ? "the inventory directory" : options.dir;
    diagnostics.push(fileDiagnostic(CONFIG_FILE, "missing-config", `no ${CONFIG_FILE} in ${where}`, "run siteform in the inventory's root directory, or pass --dir"));
  }
  const records = yield* collectRecords(parsed, planNames, catalogue, diagnostics);
  append(diagnostics, checkReferences(records, catalogue));
  yield;
  append(diagnostics, checkUniqueness(records));
  yield;
  append(diagnostics, checkLifecycle(records));
  append(
    diagnostics,
    checkEnvironment(records, {
      env: options.env ?? {},
      requireKeys: options.requireKeys ?? false,
      readableCaFiles: options.readableCaFiles,
    }),
  );
  // Last, so that no diagnostic of any check repeats a credential.
  const sorted = sortDiagnostics(guardSecrets(diagnostics, { sources: parsed.map((p) => p.source), records, env: options.env ?? {} }));
  if (hasErrors(sorted)) return { ok: false, inventory: null, diagnostics: sorted, files };
  yield;
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const inventory = resolveInventory(records, { dir: options.dir ?? ".", files, digests, catalogue, today });
  return { ok: true, inventory, diagnostics: sorted, files };
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
  const configured = server === undefined || config === null ? undefined : serversByName(config).get(server);
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

function* collectRecords(parsed: ReadonlyArray<{ kind: FileKind; source: YamlSource }>, planNames: readonly string[], catalogue: Catalogue, diagnostics: Diagnostic[]): Generator<void, InventoryRecords> {
  const schemas = schemasFor(catalogue);
  let config: ConfigRecord | null = null;
  for (const { kind, source } of parsed) {
    if (kind !== "config") continue;
    append(diagnostics, schemaDiagnostics(source, violations(schemas.config, source.value)));
    config = configRecord(source);
  }
  const plans: PlanRecord[] = [];
  const groups: GroupRecord[] = [];
  const sites: SiteRecord[] = [];
  for (const { kind: role, source } of parsed) {
    if (role === "config") continue;
    yield;
    const kind = kindOf(source, config, catalogue, diagnostics);
    if (kind === null) continue;
    if (role === "plan") {
      const validate = schemas.plan.get(kind.id);
      if (validate === undefined) {
        diagnostics.push(fileDiagnostic(source.file, "plan-kind-mismatch", `${kind.id} has no repository plans`, "remove the file, or give it the `kind:` of a kind with templates"));
        continue;
      }
      append(diagnostics, schemaDiagnostics(source, violations(validate, source.value)));
      const plan = planRecord(source, planNameOf(source.file), kind);
      if (plan !== null) plans.push(plan);
    } else {
      append(diagnostics, schemaDiagnostics(source, violations(schemas.resource.get(kind.id) as NonNullable<ReturnType<typeof schemas.resource.get>>, source.value)));
      const found = resourceFileRecords(source, kind);
      if (found.group !== null) groups.push(found.group);
      append(sites, found.sites);
    }
  }
  return { config, planNames, plans, groups, sites };
}
