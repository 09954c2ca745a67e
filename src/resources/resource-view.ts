/**
 * The service-info view of one resource (`siteform show RESOURCE`) as data: where it lives (server,
 * panel, id), what state it is in and why, what git says of it (the entry that declares it, its
 * plan, the state it wants), what the panel reports (address, deep links, facts such as IP, plan,
 * tariff, expiry) and its disk and bandwidth against their limits. Pure: the provider's answers
 * come in, each possibly missing with the reason.
 */
import type { KindModel } from "../kinds/catalogue.js";
import type { ResourceInfo, ResourceLink, ResourceUsage } from "../providers/provider.js";
import type { NamedResource } from "./resource-name.js";
import { share, type FigureShare } from "./usage-report.js";

export interface ResourceView {
  server: string;
  provider: string;
  kind: string;
  /** The kind's noun (`site`, `account`). */
  noun: string;
  id: string | null;
  name: string;
  /** The state on the panel; null when it is not on its server. */
  state: string | null;
  suspension: { since: string | null; reason: string | null } | null;
  /** The inventory entry that declares it; null when git does not have it. */
  git: { file: string; line: number; plan: string | null; state: string; suspendReason: string | null; protect: boolean } | null;
  panelUrl: string | null;
  links: readonly ResourceLink[];
  facts: ReadonlyArray<{ label: string; value: string }>;
  usage: { disk: FigureShare | null; bandwidth: FigureShare | null } | null;
  /** What could not be shown and why (a panel without the call, a call that failed). */
  notes: string[];
}

/** An answer from the panel, or why there is none. */
export type Answer<T> = { ok: true; value: T } | { ok: false; reason: string };

export function buildResourceView(resource: NamedResource, context: { provider: string; kind: KindModel | null; info: Answer<ResourceInfo> | null; usage: Answer<ResourceUsage | null> | null }): ResourceView {
  const d = resource.desired;
  const o = resource.observed;
  const notes: string[] = [];
  let info: ResourceInfo = { panelUrl: null, links: [], facts: [] };
  if (context.info?.ok === true) info = context.info.value;
  else if (context.info?.ok === false) notes.push(`panel details: ${context.info.reason}`);
  let usage: ResourceView["usage"] = null;
  if (context.usage?.ok === true && context.usage.value !== null) usage = { disk: share(context.usage.value.disk), bandwidth: share(context.usage.value.bandwidth) };
  else if (context.usage?.ok === false) notes.push(`usage: ${context.usage.reason}`);
  return {
    server: resource.server,
    provider: context.provider,
    kind: resource.kind,
    noun: context.kind?.noun ?? resource.kind,
    id: resource.id,
    name: resource.name,
    state: o === null ? null : o.state,
    suspension: o?.suspension ?? null,
    git: d === null ? null : { file: d.source.file, line: d.source.line, plan: d.plan?.name ?? null, state: d.state, suspendReason: d.suspendReason, protect: d.protect },
    panelUrl: info.panelUrl,
    links: info.links,
    facts: info.facts,
    usage,
    notes,
  };
}
