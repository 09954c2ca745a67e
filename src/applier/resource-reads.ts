/**
 * The applier's re-reads before each op, coalesced: every read asked of one server in the same
 * turn of the event loop (the ops a scheduling step starts together) goes out as one
 * `readResources` call. One call per server per step instead of one per op keeps the re-read's
 * cost close to a round trip, whatever the concurrency.
 */
import type { ObservedResource } from "../model/resource.js";
import type { Provider, ResourceRead } from "../providers/provider.js";

interface Pending {
  request: ResourceRead;
  resolve: (resource: ObservedResource | null) => void;
  reject: (err: unknown) => void;
}

export class ResourceReads {
  private readonly queues = new Map<Provider, Pending[]>();

  read(provider: Provider, request: ResourceRead): Promise<ObservedResource | null> {
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
    provider.readResources(batch.map((p) => p.request)).then(
      (resources) => batch.forEach((p, i) => p.resolve(resources[i] ?? null)),
      (err: unknown) => batch.forEach((p) => p.reject(err)),
    );
  }
}
