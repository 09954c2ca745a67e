/**
 * The ApisCP methods siteform speaks, with their positional parameter names (WSDL part names)
 * and whether a call changes the server. Shared by the client (which must know whether a lost
 * answer means "maybe done") and the emulator (which serves the WSDL from it).
 */
export interface MethodSpec {
  params: readonly string[];
  /** A mutating call whose answer is lost has an unknown outcome; a read can just be retried. */
  mutating: boolean;
}

export const METHODS = {
  admin_collect: { params: ["params", "query", "sites"], mutating: false },
  admin_add_site: { params: ["domain", "admin_user", "opts", "flags"], mutating: true },
  admin_edit_site: { params: ["site", "opts", "flags"], mutating: true },
  admin_deactivate_site: { params: ["site", "flags"], mutating: true },
  admin_activate_site: { params: ["site"], mutating: true },
  admin_delete_site: { params: ["site", "flags"], mutating: true },
  admin_list_plans: { params: [], mutating: false },
  admin_get_plan: { params: ["name"], mutating: false },
  admin_get_domains: { params: [], mutating: false },
  admin_get_site_id_from_domain: { params: ["domain"], mutating: false },
  admin_get_usage: { params: ["field", "sites"], mutating: false },
  admin_hijack: { params: ["site", "user", "gate"], mutating: false },
  auth_change_password: { params: ["password", "user", "domain"], mutating: true },
  common_whoami: { params: [], mutating: false },
} as const satisfies Record<string, MethodSpec>;

export type MethodName = keyof typeof METHODS;

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(METHODS, name);
}

/** The namespace the billing modules use; the emulator accepts any. */
export const APISCP_NAMESPACE = "urn:apnscp.api.soap";
