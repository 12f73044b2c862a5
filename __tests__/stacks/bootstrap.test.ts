/** The bootstrap stack: state bucket, CI identity without keys, optional hardened cluster. */
import { CI_ROLES } from "../../modules/ci-identity";
import { environment, synthPlatform } from "../support/environments";
import type { Template } from "../support/template";

const bootstrap = (change?: (c: Record<string, any>) => void): Template => synthPlatform(environment("prod", change)).templates.bootstrap;
const t = bootstrap((c) => {
  c.state = { backend: "gcs", bucket: "acme-platform-tfstate" };
  c.ci = { github: { repository: "acme/platform" }, gitlab: { project: "acme/platform" } };
});

test("the state bucket: versioned, uniform access, public access prevention, prevent_destroy", () => {
  expect(t.resource("google_storage_bucket", { name: "acme-platform-tfstate" })).toMatchObject({
    versioning: { enabled: true },
    uniform_bucket_level_access: true,
    public_access_prevention: "enforced",
    lifecycle: { prevent_destroy: true },
  });
});

test("CI's service account gets exactly the listed roles, and the state bucket's objects", () => {
  const roles = t.resources("google_project_iam_member").filter((m) => String(m.member).includes("google_service_account.ci_service-account")).map((m) => m.role);
  expect(roles.sort()).toEqual(Object.keys(CI_ROLES).sort());
  expect(roles).not.toContain("roles/owner");
  expect(roles).not.toContain("roles/editor");
  expect(t.resource("google_storage_bucket_iam_member", { role: "roles/storage.objectAdmin" }).member).toMatch(/^serviceAccount:\$\{google_service_account\.ci_service-account/);
  expect(t.resourceTypes()).not.toContain("google_service_account_key");
});

test("Workload Identity Federation for GitHub: this repository only, its protected branch, its environment and its pull requests", () => {
  const github = t.resource("google_iam_workload_identity_pool_provider", { workload_identity_pool_provider_id: "github" });
  expect(github.oidc).toEqual({ issuer_uri: "https://token.actions.githubusercontent.com" });
  expect(github.attribute_condition).toBe(
    'assertion.repository == "acme/platform" && (assertion.ref == "refs/heads/main" || assertion.environment == "prod" || assertion.event_name == "pull_request")',
  );
  const binding = t.resources("google_service_account_iam_member").find((b) => String(b.member).includes("attribute.repository/acme/platform"))!;
  expect(binding.role).toBe("roles/iam.workloadIdentityUser");
});

test("and for GitLab: this project, protected refs or merge requests", () => {
  const gitlab = t.resource("google_iam_workload_identity_pool_provider", { workload_identity_pool_provider_id: "gitlab" });
  expect(gitlab.attribute_condition).toContain('assertion.project_path == "acme/platform"');
});

test("an Entra application for CI with federated credentials (no client secret), allowed by Graph to manage what it owns", () => {
  expect(t.resources("azuread_application_password")).toEqual([]);
  const subjects = t.resources("azuread_application_federated_identity_credential").map((f) => f.subject).sort();
  expect(subjects).toEqual([
    "project_path:acme/platform:ref_type:branch:ref:main",
    "repo:acme/platform:environment:prod",
    "repo:acme/platform:pull_request",
    "repo:acme/platform:ref:refs/heads/main",
  ]);
  expect(t.resources("azuread_app_role_assignment")).toHaveLength(3);
});

test("outputs for the workflows", () => {
  expect(Object.keys(t.outputs()).sort()).toEqual(["azure_client_id", "azure_tenant_id", "ci_service_account", "github_workload_identity_provider", "gitlab_workload_identity_provider", "state_bucket"]);
});

test("no cluster unless configured; when configured, hardened", () => {
  expect(t.resources("google_container_cluster")).toEqual([]);
  const withCluster = bootstrap((c) => (c.cluster.create = {}));
  const cluster = withCluster.resources("google_container_cluster")[0];
  expect(cluster).toMatchObject({
    deletion_protection: true,
    private_cluster_config: { enable_private_nodes: true },
    workload_identity_config: { workload_pool: "example-platform.svc.id.goog" },
    enable_shielded_nodes: true,
    release_channel: { channel: "REGULAR" },
    datapath_provider: "ADVANCED_DATAPATH",
    gateway_api_config: { channel: "CHANNEL_STANDARD" },
    identity_service_config: { enabled: true },
    master_authorized_networks_config: { cidr_blocks: [{ display_name: "office", cidr_block: "203.0.113.0/24" }] },
  });
  const pool = withCluster.resources("google_container_node_pool")[0];
  expect(pool.node_config).toMatchObject({ workload_metadata_config: { mode: "GKE_METADATA" }, shielded_instance_config: { enable_secure_boot: true } });
});
