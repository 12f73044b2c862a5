/** What each persona really gets: the synthesized RBAC evaluated against a matrix of requests. */
import * as fs from "node:fs";
import * as path from "node:path";
import { PERSONA_ACCESS, isBuiltInRoleName, personaTable } from "../../lib/rbac";
import { ARTIFACTS } from "../../lib/render";
import { environment, PROJECT_ROOT, synthPlatform } from "../support/environments";
import { RbacAuthorizer, type Request } from "../support/rbac";

const identity = synthPlatform(environment("example", (c) => (c.identity.namespaces = ["team-a", "team-b"]))).templates.identity;
const rbac = new RbacAuthorizer(identity);
const other = "keycloak"; // a namespace not listed in config

type Row = [string, string, string, string, string | undefined, boolean];
const req = ([group, verb, apiGroup, resource, namespace]: Row): Request => ({ group, verb, apiGroup, resource, namespace });

const MATRIX: Row[] = [
  // admins: everything, everywhere
  ["oidc:admins", "delete", "", "secrets", other, true],
  ["oidc:admins", "create", "rbac.authorization.k8s.io", "clusterrolebindings", undefined, true],
  ["oidc:admins", "create", "", "pods/exec", "team-a", true],
  // developers: workloads in their namespaces
  ["oidc:developers", "create", "apps", "deployments", "team-a", true],
  ["oidc:developers", "patch", "apps", "deployments/scale", "team-b", true],
  ["oidc:developers", "delete", "", "pods", "team-a", true],
  ["oidc:developers", "create", "", "pods/eviction", "team-a", true],
  ["oidc:developers", "update", "", "configmaps", "team-a", true],
  ["oidc:developers", "create", "batch", "cronjobs", "team-a", true],
  ["oidc:developers", "get", "", "pods/log", "team-a", true],
  ["oidc:developers", "create", "monitoring.coreos.com", "servicemonitors", "team-a", true],
  // developers: never RBAC, Secrets, tokens, impersonation, exec, port-forward, or other namespaces
  ["oidc:developers", "create", "apps", "deployments", other, false],
  ["oidc:developers", "get", "", "secrets", "team-a", false],
  ["oidc:developers", "list", "", "secrets", other, false],
  ["oidc:developers", "create", "", "secrets", "team-a", false],
  ["oidc:developers", "create", "rbac.authorization.k8s.io", "rolebindings", "team-a", false],
  ["oidc:developers", "bind", "rbac.authorization.k8s.io", "clusterroles", undefined, false],
  ["oidc:developers", "escalate", "rbac.authorization.k8s.io", "roles", "team-a", false],
  ["oidc:developers", "create", "", "serviceaccounts/token", "team-a", false],
  ["oidc:developers", "create", "", "serviceaccounts", "team-a", false],
  ["oidc:developers", "impersonate", "", "serviceaccounts", "team-a", false],
  ["oidc:developers", "impersonate", "", "users", undefined, false],
  ["oidc:developers", "create", "", "pods/exec", "team-a", false],
  ["oidc:developers", "get", "", "pods/exec", "team-a", false],
  ["oidc:developers", "create", "", "pods/portforward", "team-a", false],
  ["oidc:developers", "create", "", "pods", "team-a", false],
  ["oidc:developers", "update", "networking.k8s.io", "networkpolicies", "team-a", false],
  ["oidc:developers", "delete", "", "namespaces", undefined, false],
  // readonly: read workloads in their namespaces, never Secrets, never write
  ["oidc:readonly", "list", "", "pods", "team-a", true],
  ["oidc:readonly", "get", "apps", "deployments", "team-b", true],
  ["oidc:readonly", "watch", "batch", "jobs", "team-a", true],
  ["oidc:readonly", "get", "", "secrets", "team-a", false],
  ["oidc:readonly", "list", "", "secrets", "team-a", false],
  ["oidc:readonly", "get", "", "pods/exec", "team-a", false],
  ["oidc:readonly", "get", "", "pods/attach", "team-a", false],
  ["oidc:readonly", "get", "", "pods/portforward", "team-a", false],
  ["oidc:readonly", "update", "apps", "deployments", "team-a", false],
  ["oidc:readonly", "delete", "", "pods", "team-a", false],
  ["oidc:readonly", "list", "", "pods", other, false],
  // nobody else: a group without the prefix, or a look-alike
  ["admins", "get", "", "pods", "team-a", false],
  ["system:masters", "get", "", "pods", "team-a", false],
  ["oidc:admins-x", "get", "", "pods", "team-a", false],
];

test.each(MATRIX.map((r) => [`${r[0]} ${r[1]} ${r[2] || "core"}/${r[3]} in ${r[4] ?? "(cluster)"}`, r]))("%s", (_n, row) => {
  expect(rbac.allows(req(row as Row))).toBe((row as Row)[5]);
});

test("no role of ours is named like a built-in role", () => {
  expect(rbac.roleNames().length).toBeGreaterThan(0);
  for (const name of rbac.roleNames()) expect(isBuiltInRoleName(name)).toBe(false);
  expect(isBuiltInRoleName("admin")).toBe(true);
  expect(isBuiltInRoleName("system:masters")).toBe(true);
});

test("no namespaced Role grants cluster-scoped resources (they would have no effect)", () => {
  expect(identity.resources("kubernetes_role_v1")).toEqual([]);
  for (const b of identity.resources("kubernetes_role_binding_v1")) expect(b.role_ref.kind).toBe("ClusterRole");
});

test("developer and readonly roles never name secrets, tokens, impersonation, exec or a wildcard", () => {
  for (const persona of ["developers", "readonly"] as const) {
    const text = JSON.stringify(PERSONA_ACCESS[persona].rules);
    expect(text).not.toMatch(/secrets|serviceaccounts\/token|impersonate|pods\/exec|pods\/attach|pods\/portforward|proxy|"\*"|rbac/);
  }
});

test("with Workforce Identity the subjects are the Entra groups' principal sets", () => {
  const wf = synthPlatform(
    environment("example", (c) => {
      c.identity.authMode = "workforceIdentity";
      c.identity.workforce = { organizationId: "123456789012", poolId: "platform-users" };
    }),
  ).templates.identity;
  const admins = wf.resources("kubernetes_cluster_role_binding_v1")[0].subject[0].name;
  expect(admins).toMatch(/^principalSet:\/\/iam\.googleapis\.com\/locations\/global\/workforcePools\/platform-users\/group\/\$\{azuread_group\.\S+\.object_id\}$/);
});

test("docs/identity.md includes the persona table as `npm run render -- rbac` writes it", () => {
  const docs = fs.readFileSync(path.join(PROJECT_ROOT, "docs", "identity.md"), "utf8");
  expect(docs).toContain(ARTIFACTS.rbac.render(environment(), { root: PROJECT_ROOT }) as string);
  expect(personaTable({ admins: "a", developers: "d", readonly: "r" }, [])).toContain("(no namespace listed)");
});
