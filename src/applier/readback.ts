/**
 * After an answer was lost (unknown outcome), reads the site back and decides whether the op
 * took effect, so nothing is done twice. Reading is safe to retry; deciding is pure
 * (`judgeReadBack`). Never calls execute.
 */
import type { ObservedSite } from "../model/observed-site.js";
import type { Op } from "../model/op.js";
import type { Provider } from "../providers/provider.js";
import { fieldValue, sameValue } from "./field-value.js";
import { withRetry, type RetryClock, type RetryPolicy } from "./retry.js";

export type ReadBackVerdict =
  | { kind: "took-effect"; siteId: string | null }
  | { kind: "not-taken"; detail: string }
  | { kind: "undecided"; detail: string };

export const READ_BACK_NOTE = "confirmed by reading back after a lost answer";

/** The domain the site should have once the op has run: a create's new name, else the current one. */
function expectedDomain(op: Op): string {
  return op.action === "create" ? (op.preconditions.freeDomain ?? op.target.domain) : op.target.domain;
}

export async function readBack(
  op: Op,
  provider: Provider,
  retry: { policy: RetryPolicy; clock: RetryClock & { sleep: (ms: number) => Promise<void> } },
): Promise<ReadBackVerdict> {
  const request = {
    siteId: op.action === "create" ? null : op.target.siteId,
    domain: expectedDomain(op),
    fields: op.changes.filter((c) => c.secret !== true).map((c) => c.field),
  };
  let site: ObservedSite | null;
  try {
    site = await withRetry(() => provider.readSite(request), retry.policy, retry.clock);
  } catch (err) {
    return { kind: "undecided", detail: `reading the site back failed: ${err instanceof Error ? err.message : String(err)}` };
  }
  return judgeReadBack(op, site);
}

export function judgeReadBack(op: Op, site: ObservedSite | null): ReadBackVerdict {
  switch (op.action) {
    case "create":
      return site === null ? { kind: "not-taken", detail: `no site holds ${expectedDomain(op)}` } : { kind: "took-effect", siteId: site.id };
    case "delete":
      return site === null ? { kind: "took-effect", siteId: null } : { kind: "not-taken", detail: `${site.id} is still there` };
    case "suspend":
    case "activate": {
      if (site === null) return { kind: "undecided", detail: `site ${op.target.siteId ?? op.target.domain} was not found when read back` };
      const wanted = op.action === "activate";
      return site.active === wanted ? { kind: "took-effect", siteId: site.id } : { kind: "not-taken", detail: `the site is still ${wanted ? "suspended" : "active"}` };
    }
    case "update":
      return judgeUpdate(op, site);
  }
}

function judgeUpdate(op: Op, site: ObservedSite | null): ReadBackVerdict {
  if (site === null) return { kind: "undecided", detail: `site ${op.target.siteId ?? op.target.domain} was not found when read back` };
  // Secret values are redacted in the plan, so they cannot be compared.
  const comparable = op.changes.filter((c) => c.secret !== true);
  if (comparable.length === 0) return { kind: "undecided", detail: "only secret fields change, which cannot be read back" };
  const differing = comparable.filter((c) => !sameValue(c.field, c.after, fieldValue(site, c.field)));
  if (differing.length === 0) return { kind: "took-effect", siteId: site.id };
  return { kind: "not-taken", detail: `${differing.map((c) => c.field).join(", ")} not yet changed` };
}
