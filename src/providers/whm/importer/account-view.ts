/**
 * A WHM account as the importer reads it: the uid, user, domain, contact address, package and
 * suspension lifted off an ObservedResource of the account kind once, so the rest of the
 * importer reads names, not field paths. Pure; decides nothing about what to write.
 */
import { KindModel } from "../../../kinds/catalogue.js";
import { textAt } from "../../../kinds/values.js";
import type { FieldValues, ObservedResource, ObservedValue } from "../../../model/resource.js";
import { ACCOUNT, ACCOUNT_KIND, FIELD } from "../kinds.js";

/** The account kind's model: its marks and keys, read from the declaration. */
export const ACCOUNT_MODEL = new KindModel(ACCOUNT);

export interface AccountView {
  /** The Unix uid, as digits. */
  id: string;
  user: string | null;
  /** As the server reports it (WHM writes domains lowercase; the key compares without case). */
  domain: string;
  email: string | null;
  /** The WHM package the account is on. */
  pkg: string | null;
  suspended: boolean;
  /** Why it is suspended; null when active or when WHM gives no reason (its "not suspended" is read as none by the provider). */
  suspendReason: string | null;
  /** group → field → value, in the provider's one form for limits (a number or "unlimited"). */
  fields: FieldValues<ObservedValue>;
}

/** The accounts of a collect, in its (uid) order; other kinds, other servers and gone ones are left out. */
export function accountViews(resources: readonly ObservedResource[], server: string): AccountView[] {
  return accountResources(resources, server).map(accountView);
}

/** The observed resources the importer looks at, as the planner would match them. */
export function accountResources(resources: readonly ObservedResource[], server: string): ObservedResource[] {
  return resources.filter((r) => r.kind === ACCOUNT_KIND && r.server === server && r.state !== "gone");
}

export function accountView(resource: ObservedResource): AccountView {
  const f = resource.fields;
  const suspended = resource.state === "suspended";
  return {
    id: resource.id,
    user: textAt(f, FIELD.user),
    domain: resource.name,
    email: textAt(f, FIELD.email),
    pkg: textAt(f, FIELD.package),
    suspended,
    suspendReason: suspended ? (resource.suspension?.reason ?? null) : null,
    fields: f,
  };
}
