/**
 * The state a fresh emulator starts with: no sites, and a small, realistic plan ladder.
 * `basic` is the base plan and spells out every plan-controlled parameter (as ApisCP's
 * skeleton does); `starter`, `business` and `reseller` override only what differs.
 */
import type { EmulatorState, ServiceConfig } from "../api.js";
import { allParams } from "./catalog.js";
import { copyValue } from "./values.js";

function skeleton(): ServiceConfig {
  const services: ServiceConfig = {};
  for (const { service, param, spec } of allParams()) {
    if (spec.scope === "plan") (services[service] ??= {})[param] = copyValue(spec.initial);
  }
  return services;
}

export function defaultEmulatorState(): EmulatorState {
  return {
    version: 1,
    nextSiteId: 1,
    plans: {
      basic: { inherits: null, services: skeleton() },
      starter: {
        inherits: "basic",
        services: {
          diskquota: { quota: 1 },
          bandwidth: { threshold: 10 },
          aliases: { max: 1 },
          ssh: { enabled: 0 },
          mysql: { dbasenum: 2 },
          pgsql: { enabled: 0, dbasenum: 0 },
          cgroup: { memory: 256, cpu: 50, proclimit: 25 },
          users: { max: 5 },
        },
      },
      business: {
        inherits: "basic",
        services: {
          diskquota: { quota: 25 },
          bandwidth: { threshold: 250 },
          aliases: { max: 25 },
          mysql: { dbasenum: 50 },
          pgsql: { dbasenum: 50 },
          cgroup: { memory: 2048, cpu: 200, proclimit: 150, io: 20480 },
          apache: { jail: 1 },
          users: { max: 100 },
        },
      },
      reseller: {
        inherits: "business",
        services: {
          diskquota: { quota: 100 },
          bandwidth: { threshold: 1, units: "TB" },
          aliases: { max: null },
          mysql: { dbasenum: 200 },
          pgsql: { dbasenum: 200 },
          cgroup: { memory: 4096, cpu: 400, proclimit: 400, io: null },
          users: { max: null },
        },
      },
    },
    sites: [],
  };
}
