/**
 * Which services an action may touch: not one still in processing (status 1 or 5: the panel is
 * busy with it) and not a deleted one. Both are `value` refusals naming item_status [I], so a
 * client can tell "wait and retry" from "gone" by the message and by reading the list.
 */
import { isBusy, shownStatus } from "./processing.js";
import { BillmgrRefusal } from "./refusal.js";
import type { BillmgrServiceRecord } from "./state.js";

export function checkActionable(service: BillmgrServiceRecord): void {
  if (isBusy(service)) {
    throw new BillmgrRefusal("value", "item_status", `Service ${service.id} is being processed (status ${shownStatus(service)}); try again when processing has finished`);
  }
  if (service.item_status === 4) throw new BillmgrRefusal("value", "item_status", `Service ${service.id} is deleted`);
}
