/**
 * A small RBAC authorizer over the synthesized kubernetes_* RBAC objects: decides a request the way the API server's
 * RBAC authorizer does (ClusterRoleBindings everywhere, RoleBindings in their namespace; rules match on API group,
 * resource or resource/subresource, and verb, with `*` wildcards). Built-in roles referenced by name are given their
 * upstream rules (only cluster-admin is used).
 */
import type { Template } from "./template";

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

export interface Request {
  group: string;
  verb: string;
  /** API group ("" for core) */
  apiGroup: string;
  /** resource or resource/subresource */
  resource: string;
  /** undefined for cluster-scoped requests */
  namespace?: string;
}

const BUILT_IN: Record<string, Rule[]> = {
  "cluster-admin": [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }],
};

export class RbacAuthorizer {
  private readonly clusterRoles = new Map<string, Rule[]>();
  private readonly roles = new Map<string, Rule[]>();
  private readonly bindings: { namespace?: string; roleKind: string; role: string; groups: string[] }[] = [];

  constructor(template: Template) {
    const rulesOf = (r: Record<string, any>): Rule[] => (r.rule ?? []).map((x: any) => ({ apiGroups: x.api_groups, resources: x.resources, verbs: x.verbs }));
    for (const r of template.resources("kubernetes_cluster_role_v1")) this.clusterRoles.set(r.metadata.name, rulesOf(r));
    for (const r of template.resources("kubernetes_role_v1")) this.roles.set(`${r.metadata.namespace}/${r.metadata.name}`, rulesOf(r));
    const groupsOf = (b: Record<string, any>) => (b.subject ?? []).filter((s: any) => s.kind === "Group").map((s: any) => s.name);
    for (const b of template.resources("kubernetes_cluster_role_binding_v1"))
      this.bindings.push({ roleKind: b.role_ref.kind, role: b.role_ref.name, groups: groupsOf(b) });
    for (const b of template.resources("kubernetes_role_binding_v1"))
      this.bindings.push({ namespace: b.metadata.namespace, roleKind: b.role_ref.kind, role: b.role_ref.name, groups: groupsOf(b) });
  }

  /** The custom role names this template creates. */
  roleNames(): string[] {
    return [...this.clusterRoles.keys(), ...[...this.roles.keys()].map((k) => k.split("/")[1])];
  }

  allows(req: Request): boolean {
    return this.bindings.some((b) => {
      if (!b.groups.includes(req.group)) return false;
      if (b.namespace !== undefined && b.namespace !== req.namespace) return false;
      const rules = b.roleKind === "ClusterRole" ? (this.clusterRoles.get(b.role) ?? BUILT_IN[b.role] ?? []) : (this.roles.get(`${b.namespace}/${b.role}`) ?? []);
      return rules.some(
        (r) =>
          (r.apiGroups.includes("*") || r.apiGroups.includes(req.apiGroup)) &&
          (r.resources.includes("*") || r.resources.includes(req.resource)) &&
          (r.verbs.includes("*") || r.verbs.includes(req.verb)),
      );
    });
  }
}
