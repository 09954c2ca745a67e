/**
 * What a provider gives the core: a name (siteform.yaml's `provider:`), the kinds it declares
 * (no I/O), a factory from one configured server to a Provider, and optionally an importer
 * that writes inventory files for what a server has and the inventory does not name yet
 * (`siteform import`). Types only.
 */
import type { Inventory } from "../model/inventory.js";
import type { KindDeclaration } from "../model/kind.js";
import type { ServerConfig } from "../model/server-config.js";
import type { Provider } from "./provider.js";

/** What `siteform import` asks of a provider's importer besides the inventory, the server and its Provider. */
export interface ImportOptions {
  /** Server-side ids or names (a name may be any of the resource's names); absent: every resource the inventory does not name. */
  select?: readonly string[];
  /** `YYYY-MM-DD`, written into each file's header. */
  date: string;
  /** Whether a path (relative to the inventory, `/`-separated) is taken on disk; the inventory's own files always are. */
  exists: (path: string) => boolean;
  /**
   * Fires on an interrupt (the Provider is closed then, so a read in flight fails). The
   * importer stops between reads by throwing the signal's reason, and never reports a failed
   * read as the server's fault once it has fired.
   */
  signal?: AbortSignal;
  /** A problem that does not stop the import (one sentence, no `warning:` prefix, no newline). */
  warn: (message: string) => void;
}

/** One resource a file holds, as messages name it. */
export interface ImportedResource {
  id: string;
  name: string;
}

export interface ImportedFile {
  /** Relative to the inventory directory, `/`-separated. */
  path: string;
  text: string;
  /** A repository plan, one resource's file, or a group's file. */
  role: "plan" | "resource" | "group";
  /** The server's resources the file holds (none for a plan). */
  resources: readonly ImportedResource[];
}

export interface ImportSkip {
  /** null when a selector matched nothing. */
  id: string | null;
  /** The resource's name, or the selector that matched nothing. */
  name: string;
  reason: string;
}

export type ImportOutcome =
  | {
      ok: true;
      /** The kind imported (its noun names the resources in messages). */
      kind: string;
      /** Plans first, then resources and groups in the server's id order. Nothing is written yet. */
      files: ImportedFile[];
      skipped: ImportSkip[];
    }
  /** The server could not be read (one sentence naming the server); nothing to write. */
  | { ok: false; error: string };

/**
 * Reads the server through `provider` and returns the files that bring its resources the
 * inventory does not name yet into the inventory, such that a plan right after shows no
 * changes for them. Pure apart from the reads: writes nothing, never changes the server.
 * Throws the signal's reason when interrupted.
 */
export type Importer = (inventory: Inventory, server: ServerConfig, provider: Provider, options: ImportOptions) => Promise<ImportOutcome>;

export interface ProviderModule {
  /** As written in siteform.yaml (`apiscp`). */
  name: string;
  /** For people (`ApisCP`). */
  title: string;
  /** The first is the provider's default kind. */
  kinds: readonly KindDeclaration[];
  /** Throws an Error whose message names the server (and never a key) when it cannot be set up. */
  create(server: ServerConfig, env: Readonly<Record<string, string | undefined>>): Provider;
  /** `siteform import` for this provider's servers; absent: the provider cannot import. */
  importer?: Importer;
}
