/**
 * PersonaRbac: the Kubernetes side of the personas (lib/rbac.ts). Admins are bound cluster-wide to the built-in
 * cluster-admin; developers and readonly get ClusterRoles of our own (never a built-in name), bound by RoleBindings
 * in each configured namespace only. Subjects are the persona groups as the cluster sees them: `<prefix><persona>`
 * with GKE Identity Service, `principalSet://…/group/<Entra group id>` with Workforce Identity.
 */
import { Construct } from "constructs";
import { ClusterRoleBindingV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-binding-v1";
import { ClusterRoleV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-v1";
import type { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { RoleBindingV1 } from "@cdktf/provider-kubernetes/lib/role-binding-v1";
import { isBuiltInRoleName, PERSONA_ACCESS, type PersonaKey } from "../../lib/rbac";

export interface PersonaRbacProps {
  readonly provider: KubernetesProvider;
  /** The Kubernetes group name of each persona. */
  readonly subjects: Readonly<Record<PersonaKey, string>>;
  /** Namespaces where developers and readonly users have their roles. */
  readonly namespaces: readonly string[];
}

const labels = { "app.kubernetes.io/managed-by": "platform-bootstrap" };

export class PersonaRbac extends Construct {
  constructor(scope: Construct, id: string, props: PersonaRbacProps) {
    super(scope, id);
    const group = (persona: PersonaKey) => [{ kind: "Group", name: props.subjects[persona], apiGroup: "rbac.authorization.k8s.io" }];

    new ClusterRoleBindingV1(this, "admins", {
      provider: props.provider,
      metadata: { name: "platform:admins", labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: PERSONA_ACCESS.admins.role },
      subject: group("admins"),
    });

    for (const persona of ["developers", "readonly"] as const) {
      const access = PERSONA_ACCESS[persona];
      if (isBuiltInRoleName(access.role)) throw new Error(`PersonaRbac: "${access.role}" is a built-in role name`);
      new ClusterRoleV1(this, `${persona}-role`, {
        provider: props.provider,
        metadata: { name: access.role, labels },
        rule: access.rules!.map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] })),
      });
      for (const namespace of props.namespaces) {
        new RoleBindingV1(this, `${persona}-${namespace}`, {
          provider: props.provider,
          metadata: { name: `platform:${persona}`, namespace, labels },
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: access.role },
          subject: group(persona),
        });
      }
    }
  }
}
