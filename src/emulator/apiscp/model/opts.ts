/**
 * Reads the `opts` argument of add/edit: flat dotted keys (`"diskquota.quota": 5000`),
 * nested maps (`{diskquota: {quota: 5000}}`) or both mixed, into validated, normalised
 * values keyed `service.param`. The comma form (`"diskquota,quota"`) is ApisCP's command-line
 * spelling; over the API it is refused (unknown service), since its acceptance is unknown.
 */
import type { SoapMap, SoapValue } from "../../../providers/apiscp/wire/value.js";
import { isSoapMap } from "../../../providers/apiscp/wire/value.js";
import { ApiFault } from "../api.js";
import { fieldKey, normaliseParam, paramSpec, serviceParams } from "./catalog.js";
import { quote, soapEqual } from "./values.js";

export interface OptionValue {
  service: string;
  param: string;
  value: SoapValue;
}

/** Keyed by `service.param`, in the order given. */
export type Options = Map<string, OptionValue>;

export function readOptions(opts: SoapValue | undefined, argName = "opts"): Options {
  const out: Options = new Map();
  if (opts === undefined || opts === null || (Array.isArray(opts) && opts.length === 0)) return out;
  if (!isSoapMap(opts)) throw new ApiFault(`argument ${argName} must be a map of service.param => value`);
  for (const [key, value] of Object.entries(opts)) {
    const dot = key.indexOf(".");
    if (dot >= 0) {
      addOption(out, key.slice(0, dot), key.slice(dot + 1), value);
    } else {
      readNested(out, key, value);
    }
  }
  return out;
}

function readNested(out: Options, service: string, value: SoapValue): void {
  serviceParams(service); // an unknown service faults before the shape is judged
  if (Array.isArray(value) && value.length === 0) return; // an empty PHP array: nothing to set
  if (!isSoapMap(value)) {
    throw new ApiFault(`option ${quote(service)} must be a map of parameters (or use ${quote(`${service}.PARAM`)})`);
  }
  for (const [param, inner] of Object.entries(value as SoapMap)) addOption(out, service, param, inner);
}

function addOption(out: Options, service: string, param: string, raw: SoapValue): void {
  const key = fieldKey(service, param);
  const spec = paramSpec(service, param);
  if (spec.scope === "derived") {
    throw new ApiFault(`${quote(key)} cannot be set: it follows admin_deactivate_site/admin_activate_site`);
  }
  const value = normaliseParam(service, param, raw);
  const earlier = out.get(key);
  if (earlier !== undefined && !soapEqual(earlier.value, value)) {
    throw new ApiFault(`${quote(key)} given twice with different values`);
  }
  out.set(key, { service, param, value });
}
