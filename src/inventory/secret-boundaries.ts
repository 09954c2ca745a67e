/**
 * Where a server's key could leave through the inventory, checked once every other check has
 * run: credentials written into a server's `url` (an error: they would be committed), a field
 * anywhere in the inventory that contains a key siteform holds (an error), and the ways the
 * key would travel unprotected (`http://` to another machine, `insecure_tls: true`: warnings).
 * Last, it makes sure no diagnostic repeats a credential: it drops the schema's complaints
 * about a `url` it refused (they quote the URL) and masks every known key in every message.
 * Pure: the caller passes the environment the keys are read from.
 */
import type { Diagnostic } from "../model/index.js";
import { diagnostic } from "./diagnostics.js";
import { formatPath, isRecord, type PathSegment } from "./field-path.js";
import { KnownKeys, type KeySource } from "./known-keys.js";
import { flag, ref, text, type ConfigRecord, type InventoryRecords, type ServerRecord } from "./records.js";
import { CONFIG_SCHEMA } from "./schema.js";
import { clearTextHost, credentialsIn, hasCredentials, type UrlCredentials } from "./url-credentials.js";
import type { Anchor, YamlSource } from "./yaml-source.js";

const VARIABLE_NAME = new RegExp(CONFIG_SCHEMA.$defs.server.properties.key_env.pattern, "u");

const GIT_HISTORY = "If the key was ever committed, change it now: it stays in the git history.";

export interface SecretBoundaryFacts {
  /** Every parsed file of the inventory: each field value is searched for a known key. */
  sources: readonly YamlSource[];
  records: InventoryRecords;
  env: Readonly<Record<string, string | undefined>>;
}

/** `diagnostics` plus this module's own, with none repeating a credential. */
export function guardSecrets(diagnostics: readonly Diagnostic[], facts: SecretBoundaryFacts): Diagnostic[] {
  const known = KnownKeys.from(keySources(facts.records.config), facts.env);
  const urls = checkServerUrls(facts.records.config, known);
  // The schema's own complaint about a refused `url` quotes it, credential and all: this module's error replaces it.
  const refused = new Set(urls.filter((d) => d.severity === "error").map(placeOf));
  const kept = diagnostics.filter((d) => !refused.has(placeOf(d)));
  const values = checkValues(facts.sources, known).filter((d) => !refused.has(placeOf(d)));
  return [...kept, ...urls, ...values].map((d) => masked(d, known));
}

/** The variables siteform reads keys from, by server: each `key_env` that is a variable name. */
export function keySources(config: ConfigRecord | null): KeySource[] {
  const out: KeySource[] = [];
  for (const server of config?.servers ?? []) {
    const variable = text(server, "key_env");
    if (variable !== undefined && VARIABLE_NAME.test(variable)) out.push({ server: server.name, variable });
  }
  return out;
}

function placeOf(d: Diagnostic): string {
  return `${d.file}\u0000${d.path}`;
}

function masked(d: Diagnostic, known: KnownKeys): Diagnostic {
  if (known.size === 0) return d;
  const message = known.mask(d.message);
  const path = known.mask(d.path);
  const hint = d.hint === undefined ? undefined : known.mask(d.hint);
  if (message === d.message && path === d.path && hint === d.hint) return d;
  return { ...d, message, path, ...(hint === undefined ? {} : { hint }) };
}

function checkServerUrls(config: ConfigRecord | null, known: KnownKeys): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const server of config?.servers ?? []) {
    const url = text(server, "url");
    const found = url === undefined ? null : credentialsIn(url, known);
    if (found !== null && hasCredentials(found)) {
      out.push(diagnostic("error", "secret", ref(server, "url"), credentialMessage(server, found), credentialHint(server, found)));
      continue;
    }
    // A retired server is never called: how its key would travel does not matter.
    if (flag(server, "retired") === true) continue;
    const host = url === undefined ? null : clearTextHost(url);
    if (host !== null) {
      out.push(
        diagnostic(
          "warning",
          "secret",
          ref(server, "url"),
          `\`url\` of server \`${server.name}\` is http:// to ${host}: the API key would travel over the network in clear text`,
          "use https:// (with `ca_file` when the server's certificate is self-signed); plain http:// is safe only to this machine (localhost, 127.0.0.1, ::1)",
        ),
      );
    }
    if (flag(server, "insecure_tls") === true && !(url ?? "").toLowerCase().startsWith("http:")) {
      out.push(
        diagnostic(
          "warning",
          "secret",
          ref(server, "insecure_tls"),
          `\`insecure_tls: true\` on server \`${server.name}\`: its TLS certificate is not verified, so anyone on the way can pose as the server and take the API key`,
          "name the server's CA (or its self-signed certificate) with `ca_file` and remove `insecure_tls`; keep it only for a lab",
        ),
      );
    }
  }
  return out;
}

function credentialMessage(server: ServerRecord, found: UrlCredentials): string {
  const where: string[] = [];
  if (found.userinfo) where.push("a `user:password@` part");
  for (const name of found.params) where.push(`the \`${name}\` query parameter`);
  if (found.unnamed) where.push("a query parameter");
  if (found.fragment) where.push("its `#` fragment");
  return `\`url\` of server \`${server.name}\` carries a credential in ${where.join(" and ")}, which would be committed to git (not shown here)`;
}

function credentialHint(server: ServerRecord, found: UrlCredentials): string {
  const keyEnv = text(server, "key_env");
  const variable = keyEnv !== undefined && VARIABLE_NAME.test(keyEnv) ? `${keyEnv}, the variable named by the server's \`key_env\`` : "the environment variable named by the server's `key_env`";
  const user = found.userinfo ? " (and a user, where the panel needs one, in the variable named by `user_env`)" : "";
  return `remove it from \`url\` and put the key in the environment instead: ${variable}${user}; export it before running siteform, or map it from a CI secret. ${GIT_HISTORY}`;
}

/** Every field value (and mapping key) of every file that contains a known key: one error per field. */
function checkValues(sources: readonly YamlSource[], known: KnownKeys): Diagnostic[] {
  if (known.size === 0) return [];
  const out: Diagnostic[] = [];
  for (const source of sources) {
    // An explicit stack: a deeply nested file must not overflow the call stack.
    const stack: Array<{ value: unknown; path: PathSegment[] }> = [{ value: source.value, path: [] }];
    for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
      const { value, path } = item;
      if (typeof value === "string") {
        const key = known.foundIn(value);
        if (key !== undefined) out.push(knownKeyError(source, path, "value", key.server, key.variable));
      } else if (Array.isArray(value)) {
        for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i] as unknown, path: [...path, i] });
      } else if (isRecord(value)) {
        for (const [name, child] of Object.entries(value).reverse()) {
          const key = known.foundIn(name);
          if (key !== undefined) out.push(knownKeyError(source, [...path, name], "key", key.server, key.variable));
          else stack.push({ value: child, path: [...path, name] });
        }
      }
    }
  }
  return out;
}

function knownKeyError(source: YamlSource, path: PathSegment[], anchor: Anchor, server: string, variable: string): Diagnostic {
  const at = source.ref(path, anchor);
  // A field named by the key itself is named by its parent.
  const shown = anchor === "key" ? path.slice(0, -1) : path;
  const field = shown.length === 0 ? "this file" : `\`${formatPath(shown)}\``;
  const subject = anchor === "key" ? `a field name in ${field}` : field;
  return diagnostic(
    "error",
    "secret",
    { ...at, path: formatPath(shown) },
    `${subject} contains the key of server \`${server}\` (the value of ${variable}), which must never be in git (not shown here)`,
    `remove it from the file: siteform reads the key only from the environment variable the server's \`key_env\` names. ${GIT_HISTORY}`,
  );
}
