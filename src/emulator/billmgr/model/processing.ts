/**
 * item_status passing through its transient values: after an order a service shows 1 (ordered),
 * then 5 (processing), then 2; after a suspension, resumption, renewal, deletion or a change that
 * touches the server it shows 5, then lands. Each passing status lasts `processingSteps` list
 * reads that show the service (0: the change is immediate), so a test decides exactly how long a
 * client must wait, whatever the clock does.
 */
import type { BillmgrProcessing, BillmgrServiceRecord, ItemStatus, ProcessingReason } from "./state.js";

export function startProcessing(service: BillmgrServiceRecord, steps: number, reason: ProcessingReason, then: 2 | 3 | 4): void {
  const phases: BillmgrProcessing["phases"] = [];
  if (steps > 0) {
    if (reason === "open") phases.push({ status: 1, reads: steps });
    phases.push({ status: 5, reads: steps });
  }
  service.item_status = then;
  service.processing = phases.length === 0 ? null : { phases, then, reason };
}

/** What a list shows now. */
export function shownStatus(service: BillmgrServiceRecord): ItemStatus {
  return service.processing?.phases[0]?.status ?? service.item_status;
}

/** In passing, or stuck in 1 or 5 (a state can hold a service the panel never finished). */
export function isBusy(service: BillmgrServiceRecord): boolean {
  const status = shownStatus(service);
  return service.processing !== null || status === 1 || status === 5;
}

/** One list read showed the service: the passing status it showed is one read closer to its end. */
export function advance(service: BillmgrServiceRecord): void {
  const p = service.processing;
  if (!p) return;
  const phase = p.phases[0];
  if (phase && --phase.reads <= 0) p.phases.shift();
  if (p.phases.length === 0) service.processing = null;
}

const STATUS_TEXT: Record<ItemStatus, string> = { 1: "Ordered", 2: "Active", 3: "Suspended", 4: "Deleted", 5: "In progress" };
const REASON_TEXT: Record<ProcessingReason, string> = {
  open: "activation",
  suspend: "suspension",
  resume: "resume",
  prolong: "renewal",
  close: "deletion",
  need_configure: "configuration required",
};

/** The list's `status_msg`, as the panel words it. */
export function statusMessage(service: BillmgrServiceRecord): string {
  const status = shownStatus(service);
  if (status === 5 && service.processing) return `${STATUS_TEXT[5]}: ${REASON_TEXT[service.processing.reason]}`;
  return STATUS_TEXT[status];
}
