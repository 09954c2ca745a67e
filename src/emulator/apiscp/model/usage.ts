/**
 * admin_get_usage: storage as `{qused, qhard}` in KB and bandwidth as `{sum, threshold}`
 * in bytes, per site. Usage itself is whatever the state file says (the emulator hosts no
 * files). A limit that is off or unlimited reads 0, as Linux quota reports "no limit".
 */
import type { SoapMap } from "../../../providers/apiscp/wire/value.js";
import type { SiteRecord } from "../api.js";
import { ApiFault } from "../api.js";
import { readParam, siteName } from "./record.js";
import { quote } from "./values.js";

export const USAGE_FIELDS = ["storage", "bandwidth"] as const;
export type UsageField = (typeof USAGE_FIELDS)[number];

const UNIT_BYTES: Readonly<Record<string, number>> = {
  B: 1,
  KB: 1024,
  MB: 1024 ** 2,
  GB: 1024 ** 3,
  TB: 1024 ** 4,
};

export function isUsageField(field: string): field is UsageField {
  return (USAGE_FIELDS as readonly string[]).includes(field);
}

export function siteUsage(sites: readonly SiteRecord[], field: string): SoapMap {
  if (!isUsageField(field)) {
    throw new ApiFault(`unknown usage field ${quote(field)}: expected ${USAGE_FIELDS.join(" or ")}`);
  }
  const out: SoapMap = {};
  for (const site of [...sites].sort((a, b) => a.id - b.id)) {
    out[siteName(site.id)] =
      field === "storage"
        ? { qused: site.usage.storageKb, qhard: Math.floor(limitBytes(site, "diskquota", "quota") / 1024) }
        : { sum: site.usage.bandwidthBytes, threshold: Math.floor(limitBytes(site, "bandwidth", "threshold")) };
  }
  return out;
}

function limitBytes(site: SiteRecord, service: string, param: string): number {
  const amount = readParam(site, service, param);
  const units = readParam(site, service, "units");
  if (readParam(site, service, "enabled") !== 1 || typeof amount !== "number") return 0;
  return amount * (typeof units === "string" ? (UNIT_BYTES[units] ?? 0) : 0);
}
