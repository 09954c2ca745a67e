/**
 * A repository plan (plans/NAME.yaml): a template for one kind, naming the server-side
 * template it builds on, plus shared field settings. Types only.
 */
import type { FieldValues } from "./resource.js";
import type { SourceRef } from "./source-ref.js";

export interface RepoPlan {
  /** The file name under plans/ without `.yaml`: `business`, `legacy/basic`. */
  name: string;
  /** The kind it is a template for (`kind:` in the file, else the default kind). */
  kind: string;
  /** The server-side template it builds on, when the kind has templates. */
  template: string | null;
  description: string | null;
  fields: FieldValues;
  source: SourceRef;
}
