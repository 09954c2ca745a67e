/**
 * A site as a server reports it: the provider's reading of one collect row. Identity fields are
 * lifted out so the planner can match without knowing a panel's field names; `services` holds
 * exactly the fields that were asked for. Types only.
 */

/** A value as a panel reports it (after the wire decoding): scalars, lists and maps to any depth. */
export type ObservedValue = string | number | boolean | null | readonly ObservedValue[] | { readonly [key: string]: ObservedValue };

export interface ObservedSite {
  server: string;
  /** The panel's own id (`site12`), stable across renames. */
  id: string;
  domain: string;
  /** null when the server did not report one. */
  adminUser: string | null;
  /** Alias (addon) domains; `[]` when none. */
  aliases: readonly string[];
  invoice: string | null;
  parentInvoice: string | null;
  /** The server-side plan the site is on, when reported. */
  plan: string | null;
  /** false while suspended. */
  active: boolean;
  /** service → parameter → value, for the fields collected (`service.param` keys of the request). */
  services: Readonly<Record<string, Readonly<Record<string, ObservedValue>>>>;
}

/** One server's answer to a collect, or the reason there is none. */
export type ObservedServer =
  | {
      server: string;
      ok: true;
      /** In the panel's id order. */
      sites: readonly ObservedSite[];
      /** Names of the server-side plans that exist. */
      plans: readonly string[];
      /** The `service.param` fields that were collected for every site. */
      fields: readonly string[];
    }
  | { server: string; ok: false; error: string };
