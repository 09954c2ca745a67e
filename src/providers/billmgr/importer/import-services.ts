/**
 * `importServices`: the YAML that brings a BILLmanager account's services and licences into
 * git, as a pure function of the inventory and what the server reports. One file per service
 * (`services/<name>.yaml`) or licence (`licenses/<name>.yaml`) the inventory does not name,
 * shaped so that a plan right after shows no changes for it. A service BILLmanager is still
 * setting up (ordered or processing) is skipped until it is active; one that cannot be written
 * as it is is skipped with the reason. Never reuses a path, never writes files (the CLI does),
 * never reads the clock (the date comes in).
 */
import type { Inventory } from "../../../model/inventory.js";
import type { ObservedResource } from "../../../model/resource.js";
import { FilePaths, fileStem } from "../../import-paths.js";
import type { ImportedFile, ImportSkip } from "../../module.js";
import { LICENSE_KIND, SERVICE_KIND } from "../kinds.js";
import { NameChooser, type NameChoice } from "./name-choice.js";
import { NamedServices } from "./named-services.js";
import { selectionSkips, selects } from "./selection.js";
import { entryKind, entryProblem, serviceEntry } from "./service-entry.js";
import { serviceResources, serviceView, type ServiceView } from "./service-view.js";
import { yamlText } from "./yaml-text.js";

export interface ImportInput {
  inventory: Inventory;
  server: string;
  /** The server's services and licences as collected (other servers' and kinds' are ignored), in id order. */
  observed: readonly ObservedResource[];
  /** Service ids, remoteids/names or domains; absent: every service and licence the inventory does not name. */
  select?: readonly string[];
  /** `YYYY-MM-DD`, written into each file's header. */
  date: string;
  /** Whether a path (relative to the inventory, `/`-separated) is taken on disk; the inventory's own files always are. */
  exists?: (path: string) => boolean;
}

export interface ImportResult {
  /** Services, then licences, each in id order. */
  files: ImportedFile[];
  skipped: ImportSkip[];
}

interface KindPart {
  views: ServiceView[];
  named: NamedServices;
  names: NameChooser;
}

const FOLDER: Readonly<Record<string, string>> = { [SERVICE_KIND]: "services", [LICENSE_KIND]: "licenses" };

function kindPart(input: ImportInput, kind: string): KindPart {
  const observed = serviceResources(input.observed, input.server, kind);
  const views = observed.map(serviceView);
  const named = new NamedServices(input.inventory, input.server, kind, observed);
  return { views, named, names: new NameChooser(named, views) };
}

export function importServices(input: ImportInput): ImportResult {
  const parts = [SERVICE_KIND, LICENSE_KIND].map((kind) => kindPart(input, kind));
  const paths = new FilePaths(input.inventory.files, input.exists ?? (() => false));
  const everything = parts.flatMap((part) => part.views.map((view) => ({ view, named: part.named })));
  const skipped = input.select === undefined ? [] : selectionSkips(input.select, everything);
  const files: ImportedFile[] = [];
  const claimed = new Map<string, string>();
  for (const part of parts) {
    for (const view of part.views) {
      if (part.named.find(view.id) !== null) continue;
      if (input.select !== undefined && !input.select.some((s) => selects(view, s))) continue;
      const outcome = serviceFile(view, part, paths, claimed, input);
      if ("reason" in outcome) skipped.push({ id: view.id, name: view.label, reason: outcome.reason });
      else files.push(outcome);
    }
  }
  return { files, skipped };
}

function noun(view: ServiceView): string {
  return view.kind === LICENSE_KIND ? "licence" : "service";
}

/** `claimed`: domain → the file this import already wrote it in. */
function serviceFile(view: ServiceView, part: KindPart, paths: FilePaths, claimed: Map<string, string>, input: ImportInput): ImportedFile | { reason: string } {
  if (view.state === "transitional") {
    return { reason: `BILLmanager is still setting it up (ordered or processing): import again when it is active` };
  }
  let choice = part.names.choose(view);
  if ("reason" in choice) return choice;
  const kind = entryKind(view);
  const heldBy = view.domain === null ? null : (part.named.domainHolder(view.domain)?.source.file ?? claimed.get(view.domain) ?? null);
  let entry = serviceEntry(view, input.server, choice.name, choice.adopted && choice.pin ? view.id : null, heldBy);
  if (choice.adopted && !choice.pin && entry.value.domain !== view.domain) {
    // Its domain could not be written, so the plan could not find it by that either: pin it.
    choice = { ...choice, pin: true };
    entry = serviceEntry(view, input.server, choice.name, view.id, heldBy);
  }
  const problem = entryProblem(entry, kind);
  if (problem !== null) return { reason: problem };
  const { path } = paths.claim(FOLDER[view.kind] ?? "services", fileStem(choice.name, noun(view)));
  if (view.domain !== null && entry.value.domain !== undefined) claimed.set(view.domain, path);
  const lines = [
    `Imported from server ${input.server} on ${input.date} by siteform import. BILLmanager ${noun(view)} id: ${view.id}.`,
    ...adoptedLines(view, choice),
    `No renew_ahead_days: without it siteform never renews this ${noun(view)}; add it (for example \`renew_ahead_days: 30\`) to keep it paid ahead.`,
    ...entry.notes.map((note) => `Note: ${note}.`),
  ];
  return { path, text: yamlText(entry.value, kind === "license" ? "license.schema.json" : "service.schema.json", lines), role: "resource", resources: [{ id: view.id, name: view.label }] };
}

function adoptedLines(view: ServiceView, choice: NameChoice): string[] {
  if ("reason" in choice || !choice.adopted) return [];
  const how = choice.pin ? `by its id (\`id: "${view.id}"\`)` : `by its domain ${view.domain ?? ""}`;
  return [
    `BILLmanager knows this ${noun(view)} without a siteform name (${choice.why}): "${choice.name}" was made up, and the plan finds it ${how}.`,
    `Until an apply records "${choice.name}" as its remoteid (an edit that costs nothing and changes nothing else), the plan shows that one change.`,
  ];
}
