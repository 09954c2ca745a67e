/** The BILLmanager functions the shared knobs may name (anything else in a knob table is refused as a typo). */
import type { KnobMethods } from "../shared/knobs.js";
import { isBillmgrFunction } from "./model/index.js";

export const BILLMGR_KNOB_METHODS: KnobMethods = { isMethod: isBillmgrFunction, example: "v2.vds.order.param" };
