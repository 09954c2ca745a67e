/**
 * What a server's `url` gives away: credentials written into it (`user:KEY@`, `?authkey=KEY`,
 * `?authinfo=user:password`, …), which would go to git with siteform.yaml, and whether it
 * sends the key in clear text (`http://` to a host that is not this machine). Pure reading
 * of one URL string: it reports parameter names and hosts, never a credential's value.
 */
import { isPasswordLikeName, looksLikeCredential } from "./secrets.js";
import type { KnownKeys } from "./known-keys.js";

export interface UrlCredentials {
  /** The URL has a `user:password@` (or `KEY@`) part. */
  userinfo: boolean;
  /** Names of query parameters that carry a credential, as written (only names that are safe to show). */
  params: readonly string[];
  /** A query parameter whose name itself is a credential (`?KEY`): it is reported without its name. */
  unnamed: boolean;
  /** The fragment (`#…`) holds a credential. */
  fragment: boolean;
}

/** Parameter names that carry a login or a session rather than a key by name: BILLmanager's `authinfo` (user:password) and `auth` (a session id), and session ids generally. */
const CREDENTIAL_PARAM = /^(?:authinfo|auth|sid|session)$/i;

/** Longer parameter names are not quoted: no panel's parameter is that long, a pasted value may be. */
const MAX_SHOWN_NAME = 32;

/** `scheme://` followed by an authority that contains an `@`: userinfo, even when the URL is otherwise invalid. */
const USERINFO = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i;

/** Whether `found` holds any credential. */
export function hasCredentials(found: UrlCredentials): boolean {
  return found.userinfo || found.params.length > 0 || found.unnamed || found.fragment;
}

/** The credentials `url` carries; none for a URL without any. A value is a credential by its parameter's name, its shape, or being a known key. */
export function credentialsIn(url: string, known: KnownKeys): UrlCredentials {
  const userinfo = USERINFO.test(url);
  const params: string[] = [];
  let unnamed = false;
  let fragment = false;
  const queryStart = url.indexOf("?");
  const hashStart = url.indexOf("#");
  const queryEnd = hashStart < 0 ? url.length : hashStart;
  if (queryStart >= 0 && queryStart < queryEnd) {
    // URLSearchParams, not new URL(): it reads a query even when the rest of the URL is broken.
    for (const [name, value] of new URLSearchParams(url.slice(queryStart + 1, queryEnd))) {
      if (!isCredentialParam(name, value, known)) continue;
      // A name is shown only when it cannot be the secret itself.
      if (isCredentialValue(name, known) || name.length > MAX_SHOWN_NAME) unnamed = true;
      else if (!params.includes(name)) params.push(name);
    }
  }
  if (hashStart >= 0) {
    // A fragment is never sent, but it is committed with the rest: a key there leaks all the same.
    const text = url.slice(hashStart + 1);
    const pairs = [...new URLSearchParams(text)];
    fragment = isCredentialValue(text, known) || pairs.some(([name, value]) => isCredentialParam(name, value, known));
  }
  return { userinfo, params, unnamed, fragment };
}

function isCredentialParam(name: string, value: string, known: KnownKeys): boolean {
  return isPasswordLikeName(name) || CREDENTIAL_PARAM.test(name) || isCredentialValue(value, known) || isCredentialValue(name, known);
}

function isCredentialValue(value: string, known: KnownKeys): boolean {
  return looksLikeCredential(value) || known.foundIn(value) !== undefined;
}

/** The host of an `http://` URL when it is not this machine (the key would cross a network unencrypted); null otherwise. */
export function clearTextHost(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== "http:") return null;
  return isLoopbackHost(parsed.hostname) ? null : parsed.hostname;
}

/** `localhost` (and `*.localhost`, RFC 6761), 127.0.0.0/8, and `::1` (bracketed, as URL writes it). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1").replace(/\.$/, "");
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (host === "::1" || host === "0:0:0:0:0:0:0:1") return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
