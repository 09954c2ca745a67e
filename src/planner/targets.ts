/**
 * `--target`: a plan narrowed below a server, as Terraform's `-target`. A target names a
 * resource as people know it: its name (`kessler-law.example`), its id on the server
 * (`site3`), its inventory file (`sites/kessler-law.yaml`), each optionally after its server
 * (`fra1/kessler-law.example`). The plan keeps the ops of the resources named and every op
 * those wait for (a parent created first, a name freed first), so what it runs is complete;
 * the guards then count only what is kept. A target that names nothing is an error with the
 * closest names, never silently an empty plan.
 */
import type { Op } from "../model/op.js";
import type { PlanDiagnostic } from "../model/plan.js";
import { closest } from "../text/suggest.js";
import type { ResourcePlan } from "./resource-plan.js";

export interface Targeted {
  /** The ops kept: those of the resources named and everything they wait for. */
  keep: ReadonlySet<string>;
  problems: PlanDiagnostic[];
}

/** The ways a resource can be named, lowercased (domains are case-insensitive, and so is matching here). */
function namesOf(r: ResourcePlan): string[] {
  const names = [r.desired?.name, r.desired?.key, r.desired?.source.file, r.observed?.name, r.observed?.id].filter((n): n is string => n !== undefined && n !== null && n !== "");
  return [...new Set(names.flatMap((n) => [n.toLowerCase(), `${r.server}/${n}`.toLowerCase()]))];
}

export function selectTargets(resources: readonly ResourcePlan[], ops: readonly Op[], targets: readonly string[]): Targeted {
  const byName = new Map<string, ResourcePlan[]>();
  for (const r of resources) {
    for (const name of namesOf(r)) {
      const list = byName.get(name);
      if (list === undefined) byName.set(name, [r]);
      else list.push(r);
    }
  }
  const problems: PlanDiagnostic[] = [];
  const chosen = new Set<string>();
  for (const target of targets) {
    const found = byName.get(target.trim().toLowerCase());
    if (found === undefined) {
      problems.push(unknownTarget(target, [...byName.keys()]));
      continue;
    }
    for (const r of found) for (const op of r.ops) chosen.add(op.id);
  }
  // Everything a chosen op waits for runs too, or the chosen op could not.
  const byId = new Map(ops.map((op) => [op.id, op]));
  const keep = new Set<string>();
  const stack = [...chosen];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (keep.has(id)) continue;
    keep.add(id);
    for (const dep of byId.get(id)?.dependsOn ?? []) stack.push(dep);
  }
  return { keep, problems };
}

function unknownTarget(target: string, known: readonly string[]): PlanDiagnostic {
  // Bare names only: a suggestion of `fra1/x` beside `x` says nothing more.
  const close = closest(target.toLowerCase(), known.filter((k) => !k.includes("/")));
  return {
    severity: "error",
    code: "unknown-target",
    server: null,
    message: `--target ${JSON.stringify(target)} names no resource in the inventory or on the servers in scope`,
    hint: close !== undefined ? `did you mean ${JSON.stringify(close)}?` : "name a resource by its name, its id on the server or its inventory file, optionally after its server (fra1/example.com)",
  };
}
