/**
 * The applier's re-reads before each op, coalesced: every read asked of one server in the same
 * turn of the event loop (the ops a scheduling step starts together) goes out as one
 * `readSites` call. One call per server per step instead of one per op keeps the re-read's cost
 * close to a round trip, whatever the concurrency.
 */
import type { ObservedSite } from "../model/observed-site.js";
import type { Provider, SiteRead } from "../providers/provider.js";

interface Pending {
  request: SiteRead;
  resolve: (site: ObservedSite | null) => void;
  reject: (err: unknown) => void;
}

export class SiteReads {
  private readonly queues = new Map<Provider, Pending[]>();

  read(provider: Provider, request: SiteRead): Promise<ObservedSite | null> {
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(provider);
      if (queue !== undefined) {
        queue.push({ request, resolve, reject });
        return;
      }
      this.queues.set(provider, [{ request, resolve, reject }]);
      queueMicrotask(() => this.flush(provider));
    });
  }

  private flush(provider: Provider): void {
    const batch = this.queues.get(provider) ?? [];
    this.queues.delete(provider);
    provider.readSites(batch.map((p) => p.request)).then(
      (sites) => batch.forEach((p, i) => p.resolve(sites[i] ?? null)),
      (err: unknown) => batch.forEach((p) => p.reject(err)),
    );
  }
}
