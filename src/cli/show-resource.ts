/**
 * `siteform show RESOURCE`: the service-info view a billing module shows beside a service, for the
 * support desk: server, panel address and deep links, state and suspension, what git says of it,
 * what the panel reports (IP, plan, tariff, expiry, auto-renewal) and its usage. The panel's
 * details and usage are asked of its provider; one that fails or that the panel does not offer
 * leaves a note, never the whole view. Reads only.
 */
import { ProviderError, type Provider, type ResourceInfo, type ResourceRef, type ResourceUsage } from "../providers/provider.js";
import { renderViewJson, renderViewMarkdown, renderViewText } from "../resources/render-view.js";
import { buildResourceView, type Answer } from "../resources/resource-view.js";
import { ExitCode } from "./exit.js";
import type { CliIO } from "./io.js";
import { onNamedResource, type ResourceFlags } from "./named-resource.js";
import type { ReportFormat } from "./options.js";

export async function showResource(name: string, flags: ResourceFlags & { format: ReportFormat }, io: CliIO): Promise<number> {
  const view = await onNamedResource(name, flags, io, async (found, inventory) => {
    const r = found.resource;
    const unread = found.unreadable.find((u) => u.server === r.server);
    const provider = unread === undefined && r.id !== null ? found.provider : null;
    const ref: ResourceRef | null = r.id === null ? null : { kind: r.kind, id: r.id, name: r.name };
    const [info, usage] = provider === null || ref === null ? [null, null] : await Promise.all([askInfo(provider, ref), askUsage(provider, ref)]);
    const built = buildResourceView(r, { provider: inventory.servers.find((s) => s.name === r.server)?.provider ?? "", kind: inventory.catalogue.find(r.kind), info, usage });
    if (unread !== undefined) built.notes.push(`not read: ${unread.error}`);
    return built;
  });
  if (view === null) return ExitCode.error;
  io.stdout(flags.format === "json" ? renderViewJson(view) : flags.format === "markdown" ? renderViewMarkdown(view) : renderViewText(view));
  return ExitCode.ok;
}

async function askInfo(provider: Provider, ref: ResourceRef): Promise<Answer<ResourceInfo>> {
  if (provider.describe === undefined) return { ok: false, reason: "this panel offers none through siteform" };
  try {
    return { ok: true, value: await provider.describe(ref) };
  } catch (err) {
    return failed(err);
  }
}

async function askUsage(provider: Provider, ref: ResourceRef): Promise<Answer<ResourceUsage | null>> {
  if (provider.usage === undefined) return { ok: false, reason: "this panel reports none" };
  try {
    const rows = await provider.usage([ref]);
    return { ok: true, value: rows.find((row) => row.kind === ref.kind && row.id === ref.id) ?? null };
  } catch (err) {
    return failed(err);
  }
}

function failed(err: unknown): { ok: false; reason: string } {
  if (err instanceof ProviderError) return { ok: false, reason: err.message };
  throw err;
}
