/**
 * A repository plan (plans/NAME.yaml): a server-side plan plus shared service settings.
 * Types only.
 */
import type { ServiceValues } from "./desired-site.js";
import type { SourceRef } from "./source-ref.js";

export interface RepoPlan {
  /** The file name under plans/ without `.yaml`: `business`, `legacy/basic`. */
  name: string;
  apiscpPlan: string;
  description: string | null;
  services: ServiceValues;
  /** Where each setting was written, keyed `service.param`. */
  origins: Readonly<Record<string, SourceRef>>;
  source: SourceRef;
}
