/** The WHM functions the shared knobs may name (anything else in a knob table is refused as a typo). */
import type { KnobMethods } from "../shared/knobs.js";
import { isWhmFunction } from "./model/index.js";

export const WHM_KNOB_METHODS: KnobMethods = { isMethod: isWhmFunction, example: "createacct" };
