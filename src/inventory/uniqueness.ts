/**
 * What must be unique, as each kind declares it: per server, every name of a key namespace (an
 * ApisCP site's domains and aliases share one, its admin users another) and every pinned id;
 * across the whole inventory, keys of inventory scope (an invoice: a billing account is one
 * group or one site) and the names of the domain namespace, whatever the kind (a domain points
 * at one server, so one name on two servers is a mistake even though each server alone is
 * fine; a retired server's entries are left out). The first occurrence in file order wins and
 * each later one is reported, pointing back at the first. Every check is a Map lookup per
 * name: linear in the inventory. Pure.
 */
import type { Diagnostic, DiagnosticCode, SourceRef } from "../model/index.js";
import { error } from "./diagnostics.js";
import type { KeyDeclaration } from "../model/kind.js";
import type { KindModel } from "../kinds/catalogue.js";
import type { PathSegment } from "./field-path.js";
import { flag, siteServer, text, texts, type Entity, type InventoryRecords, type SiteRecord } from "./records.js";

interface Claim {
  /**
   * Where the name is written, as the entity and the field path below it: turned into a
   * position only for a conflict, since positions are the costly part of checking 10,000
   * sites (and a closure per claim costs more than the claim).
   */
  entity: Entity;
  path: readonly PathSegment[];
  /** Who claims it: an entry's key, or a group's. */
  owner: string;
  /** What the name is to its owner: `domain`, `alias`, `admin user`, … */
  as: string;
  /** What the owner is (`site`, `group`): `a site's` in messages about another owner, `this site's` about the same one. */
  noun: string;
}

/** One namespace: the first claim of each name, and the problems found so far. */
class Registry {
  private readonly claims = new Map<string, Claim>();
  readonly problems: Diagnostic[] = [];

  constructor(
    private readonly code: DiagnosticCode,
    private readonly scope: string,
    private readonly hint: string,
    /** The list key to take a name out of when one entry holds it twice. */
    private readonly listKey: string | null = null,
  ) {}

  claim(name: string, claim: Claim): void {
    const first = this.claims.get(name);
    if (first === undefined) {
      this.claims.set(name, claim);
      return;
    }
    if (first.owner === claim.owner) {
      if (first.as !== claim.as) {
        const hint = this.listKey === null ? "remove one of them" : `remove it from \`${this.listKey}\``;
        this.problems.push(error(this.code, at(claim), `\`${name}\` is this ${claim.noun}'s ${first.as} and also its ${claim.as}`, hint));
      }
      return;
    }
    const firstAt = at(first);
    const where = `${firstAt.file}:${firstAt.line}:${firstAt.column}`;
    this.problems.push(
      error(this.code, at(claim), `\`${name}\` is already used ${this.scope} as ${article(first.noun)} ${first.noun}'s ${first.as} (${where})`, this.hint),
    );
  }
}

function at(claim: Claim): SourceRef {
  return claim.entity.source.ref([...claim.entity.path, ...claim.path]);
}

export function checkUniqueness(records: InventoryRecords): Diagnostic[] {
  const registries = new Map<string, Registry>();
  const acrossServers = new AcrossServers();
  // Names claim across servers only on servers in service: a retired one is no longer read or
  // changed (its entries stay while their sites move by hand to a new server), and an unknown
  // one is a typo already reported, which should not bring follow-on errors.
  const inService = new Set(records.config?.servers.filter((s) => flag(s, "retired") !== true).map((s) => s.name));
  for (const site of records.sites) {
    const server = siteServer(site)?.name;
    const kind = site.kind;
    for (const key of kind.keys()) {
      const writer = writerOf(site, kind, key);
      if (writer === null) continue;
      if (key.scope === "server" && server === undefined) continue;
      const scope = key.scope === "server" ? `on server \`${server}\`` : "in the inventory";
      const scopeKey = `${kind.id}\0${key.namespace}\0${key.scope === "server" ? server : "*"}`;
      let on = registries.get(scopeKey);
      if (on === undefined) {
        on = namespaceRegistry(kind, key, scope);
        registries.set(scopeKey, on);
      }
      const noun = writer.noun;
      const owner = writer.entity === site ? site.key : `${noun} ${writer.key}`;
      const across = server !== undefined && key.scope === "server" && key.unique && key.namespace === ONE_SERVER_NAMESPACE && inService.has(server) ? acrossServers : null;
      const claim = (value: string, path: readonly PathSegment[]): void => {
        const name = nameOf(key, value);
        const made: Claim = { entity: writer.entity, path, owner, as: key.label, noun };
        on.claim(name, made);
        across?.claim(name, made, server ?? "", kind.noun);
      };
      if (key.list === true) {
        for (const item of texts(writer.entity, key.name)) claim(item.value, [key.name, item.index]);
      } else {
        const value = text(writer.entity, writer.field);
        if (value !== undefined) claim(value, [writer.field]);
      }
    }
    const id = text(site, "id");
    if (id !== undefined && server !== undefined) {
      const scopeKey = `${kind.id}\0#id\0${server}`;
      let ids = registries.get(scopeKey);
      if (ids === undefined) {
        const label = kind.declaration.identity.id.label;
        ids = new Registry(`duplicate-${slug(kind.noun)}-id`, `on server \`${server}\``, `${article(label)} ${label} can be pinned by one ${kind.noun} only: remove one of the \`id:\` pins`);
        registries.set(scopeKey, ids);
      }
      ids.claim(id, { entity: site, path: ["id"], owner: site.key, as: "pinned id", noun: kind.noun });
    }
  }
  return [...registries.values(), acrossServers].flatMap((r) => r.problems);
}

/**
 * The key namespace whose names belong to one server in the whole inventory: DNS names. Every
 * kind that declares a key in it (ApisCP's domains and aliases, WHM's domains) shares this one
 * registry, so an ApisCP alias that is a WHM account's domain on another server is found too.
 */
const ONE_SERVER_NAMESPACE = "domain";

/** A name as compared: lowercase for case-insensitive keys (domains), without the trailing dot DNS allows. */
function nameOf(key: KeyDeclaration, value: string): string {
  if (key.caseInsensitive !== true) return value;
  const lower = value.toLowerCase();
  return lower.length > 1 && lower.endsWith(".") ? lower.slice(0, -1) : lower;
}

/**
 * The first server each name of ONE_SERVER_NAMESPACE was claimed on; a claim on another server
 * is a problem. Two claims on one server are the per-server registries' to judge.
 */
class AcrossServers {
  private readonly first = new Map<string, { claim: Claim; server: string }>();
  readonly problems: Diagnostic[] = [];

  claim(name: string, claim: Claim, server: string, noun: string): void {
    const first = this.first.get(name);
    if (first === undefined) {
      this.first.set(name, { claim, server });
      return;
    }
    if (first.server === server) return;
    const firstAt = at(first.claim);
    const where = `${firstAt.file}:${firstAt.line}:${firstAt.column}`;
    this.problems.push(
      error(
        `duplicate-${slug(ONE_SERVER_NAMESPACE)}`,
        at(claim),
        `\`${name}\` is already used on server \`${first.server}\` as ${article(first.claim.noun)} ${first.claim.noun}'s ${first.claim.as} (${where}), and this ${claim.noun} is on \`${server}\``,
        `a domain belongs to one server in the whole inventory: remove it from one of them (siteform does not move ${noun}s between servers: move the ${noun} by hand, then change its \`server:\`)`,
      ),
    );
  }
}

/** Who writes a key's value for an entry: the entry itself, or (for a group's parent) the group; null when nobody does. */
function writerOf(site: SiteRecord, kind: KindModel, key: KeyDeclaration): { entity: Entity; field: string; key: string; noun: string } | null {
  const group = kind.declaration.group;
  if (group !== null && key.field === group.parentField) {
    if (site.role === "standalone") return { entity: site, field: group.entry, key: site.key, noun: kind.noun };
    if (site.role === "parent" && site.group !== null) return { entity: site.group, field: group.entry, key: site.group.key, noun: "group" };
    return null;
  }
  return { entity: site, field: key.name, key: site.key, noun: kind.noun };
}

function namespaceRegistry(kind: KindModel, key: KeyDeclaration, scope: string): Registry {
  const members = kind.keys().filter((k) => k.namespace === key.namespace);
  const list = members.find((k) => k.list === true);
  const group = kind.declaration.group;
  const code: DiagnosticCode = `duplicate-${slug(key.namespace)}`;
  const where = key.scope === "server" ? "per server" : "in the inventory";
  let hint: string;
  if (group !== null && key.field === group.parentField) {
    hint = `${article(key.label)} ${key.label} belongs to one ${kind.noun} or one ${group.label}: to bill several ${kind.noun}s together, list them under one group's \`${group.members}:\``;
  } else if (members.length > 1) {
    hint = `${article(members[0]?.label ?? key.label)} ${members.map((k) => k.label).join(" or ")} belongs to one ${kind.noun} ${where}: remove it from one of them`;
  } else {
    hint = `${key.label}s are unique ${where}: choose another \`${key.name}\``;
  }
  return new Registry(code, scope, hint, list?.name ?? null);
}

function slug(text: string): string {
  return text.replace(/\s+/g, "-");
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? "an" : "a";
}
