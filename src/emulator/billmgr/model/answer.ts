/**
 * What a function answers before the server writes it as BILLmanager's `doc`: top-level fields
 * (`doc.<name>.$`), list rows (`doc.elem`), a form's selects (`doc.slist`), success (`doc.ok`)
 * and a session (`doc.auth`). Plain strings only: BILLmanager's JSON carries every value as text.
 * Also what every call knows besides its parameters.
 */
import type { Itemtype } from "./functions.js";

export interface Slist {
  name: string;
  options: { key: string; text: string }[];
}

export interface DocAnswer {
  fields?: Record<string, string>;
  /** A list's rows; `p_elems` (the row count) goes with them. */
  elems?: Record<string, string>[];
  slists?: Slist[];
  ok?: true;
  auth?: { id: string; level: string };
}

/** The fields of a list filter, by name, as `<itemtype>.filter` was given them. */
export type Filter = Readonly<Record<string, string>>;

export interface CallContext {
  /** Unix seconds, from the emulator's clock. */
  now: number;
  /** The authenticated user, written into the history of what the call does. */
  user: string;
  /** The caller's list filters (per session): `<itemtype>.filter` sets them, every list applies them. */
  filters: Map<Itemtype, Filter>;
  /** List reads a service shows each passing status for (1, then 5) after an order or change. */
  processingSteps: number;
}
