/**
 * What each persona may do in Kubernetes (DESIGN §6). Admins: cluster-wide (the built-in cluster-admin). Developers:
 * manage workloads in the configured namespaces, but never RBAC, Secrets, service-account tokens, impersonation,
 * exec/attach/port-forward (exec reads mounted secrets; port-forward bypasses NetworkPolicies). Readonly: read
 * workloads in those namespaces, never Secrets. Custom roles never reuse a built-in name.
 */
export interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

export const READ = ["get", "list", "watch"] as const;
export const WRITE = ["create", "update", "patch", "delete", "deletecollection"] as const;

/** What both personas read: workloads and their surroundings. No secrets, no pod subresources but logs. */
const WORKLOAD_READS: PolicyRule[] = [
  {
    apiGroups: [""],
    resources: ["pods", "pods/log", "pods/status", "services", "endpoints", "configmaps", "persistentvolumeclaims", "events", "serviceaccounts", "resourcequotas", "limitranges", "replicationcontrollers"],
    verbs: READ,
  },
  { apiGroups: ["apps"], resources: ["deployments", "deployments/scale", "statefulsets", "statefulsets/scale", "daemonsets", "replicasets", "replicasets/scale", "controllerrevisions"], verbs: READ },
  { apiGroups: ["batch"], resources: ["jobs", "cronjobs"], verbs: READ },
  { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: READ },
  { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: READ },
  { apiGroups: ["networking.k8s.io"], resources: ["networkpolicies", "ingresses"], verbs: READ },
  { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: READ },
  { apiGroups: ["events.k8s.io"], resources: ["events"], verbs: READ },
  { apiGroups: ["gateway.networking.k8s.io"], resources: ["httproutes"], verbs: READ },
  { apiGroups: ["monitoring.coreos.com"], resources: ["servicemonitors", "podmonitors", "prometheusrules"], verbs: READ },
];

/** What developers change. NetworkPolicies, routes and Secrets stay with the platform (Terraform). */
const WORKLOAD_WRITES: PolicyRule[] = [
  { apiGroups: [""], resources: ["services", "configmaps", "persistentvolumeclaims"], verbs: WRITE },
  // Delete pods to restart them, evict them; pods are created through their controllers.
  { apiGroups: [""], resources: ["pods"], verbs: ["delete", "deletecollection"] },
  { apiGroups: [""], resources: ["pods/eviction"], verbs: ["create"] },
  { apiGroups: ["apps"], resources: ["deployments", "deployments/scale", "statefulsets", "statefulsets/scale", "daemonsets", "replicasets", "replicasets/scale"], verbs: WRITE },
  { apiGroups: ["batch"], resources: ["jobs", "cronjobs"], verbs: WRITE },
  { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: WRITE },
  { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: WRITE },
  { apiGroups: ["monitoring.coreos.com"], resources: ["servicemonitors", "podmonitors", "prometheusrules"], verbs: WRITE },
];

export type PersonaKey = "admins" | "developers" | "readonly";

export interface PersonaAccess {
  /** The ClusterRole bound. */
  readonly role: string;
  /** Built-in role (not created by us) or our own rules. */
  readonly rules?: readonly PolicyRule[];
  /** Where it applies. */
  readonly scope: "cluster" | "namespaces";
  readonly summary: string;
}

export const PERSONA_ACCESS: Readonly<Record<PersonaKey, PersonaAccess>> = {
  admins: { role: "cluster-admin", scope: "cluster", summary: "everything, in every namespace (the built-in cluster-admin)" },
  developers: {
    role: "platform:developer",
    rules: [...WORKLOAD_READS, ...WORKLOAD_WRITES],
    scope: "namespaces",
    summary: "manage workloads in the listed namespaces; no Secrets, RBAC, tokens, impersonation, exec or port-forward",
  },
  readonly: {
    role: "platform:readonly",
    rules: WORKLOAD_READS,
    scope: "namespaces",
    summary: "read workloads in the listed namespaces; never Secrets",
  },
};

/** Names Kubernetes itself owns: a custom role with one of these would collide with (and could delete) the built-in. */
export function isBuiltInRoleName(name: string): boolean {
  return ["admin", "edit", "view", "cluster-admin"].includes(name) || name.startsWith("system:");
}

/** The Kubernetes group of a persona: `<prefix><persona>` (e.g. `oidc:developers`). */
export function personaGroup(prefix: string, persona: PersonaKey): string {
  if (!prefix) throw new Error("persona groups need a non-empty prefix");
  return `${prefix}${persona}`;
}

/** The persona table of docs/identity.md (`npm run render -- rbac --env <env>`). */
export function personaTable(subjects: Record<PersonaKey, string>, namespaces: readonly string[]): string {
  const where = (a: PersonaAccess) => (a.scope === "cluster" ? "cluster-wide" : namespaces.length ? namespaces.map((n) => `\`${n}\``).join(", ") : "(no namespace listed)");
  const lines = [
    "| persona | Kubernetes group | role | where | may |",
    "|---|---|---|---|---|",
    ...(Object.keys(PERSONA_ACCESS) as PersonaKey[]).map((p) => {
      const a = PERSONA_ACCESS[p];
      return `| ${p} | \`${subjects[p]}\` | \`${a.role}\` | ${where(a)} | ${a.summary} |`;
    }),
    "",
    "| resources | developers | readonly |",
    "|---|---|---|",
  ];
  const verbsOf = (rules: readonly PolicyRule[] | undefined, group: string, resource: string) =>
    [...new Set((rules ?? []).filter((r) => r.apiGroups.includes(group) && r.resources.includes(resource)).flatMap((r) => r.verbs))];
  const rows = new Map<string, [string, string]>();
  for (const rule of PERSONA_ACCESS.developers.rules!) {
    for (const g of rule.apiGroups) for (const r of rule.resources) rows.set(`${g || "core"}/${r}`, [g, r]);
  }
  for (const [label, [g, r]] of rows) {
    const cell = (p: PersonaKey) => verbsOf(PERSONA_ACCESS[p].rules, g, r).join(", ") || "none";
    lines.push(`| ${label} | ${cell("developers")} | ${cell("readonly")} |`);
  }
  lines.push("| core/secrets, pods/exec, pods/attach, pods/portforward, serviceaccounts/token, rbac.authorization.k8s.io/* | none | none |");
  return `${lines.join("\n")}\n`;
}
