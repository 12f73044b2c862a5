/** The mock-data-api stack, part 1: PostgREST, the schema job, the NetworkPolicies (and the databases' own). */
import { environment, synthPlatform } from "../support/environments";

const { templates } = synthPlatform(environment());
const t = templates.mockDataApi;

describe("PostgREST", () => {
  const deployment = t.resources("kubernetes_deployment_v1")[0];
  const pod = deployment.spec.template.spec;
  const container = pod.container[0];
  const env = Object.fromEntries(container.env.map((e: any) => [e.name, e.value]));

  test("a pinned 13.x image (never 12.2.0-12.2.11, which served /config)", () => {
    expect(container.image).toMatch(/^docker\.io\/postgrest\/postgrest:v13\.\d+\.\d+$/);
  });

  test("non-root, read-only root filesystem, no capability, RuntimeDefault seccomp, requests and limits", () => {
    expect(pod.security_context).toMatchObject({ run_as_non_root: true, seccomp_profile: { type: "RuntimeDefault" } });
    expect(container.security_context).toMatchObject({ allow_privilege_escalation: false, read_only_root_filesystem: true, capabilities: { drop: ["ALL"] } });
    expect(container.resources.requests).toBeDefined();
    expect(container.resources.limits.memory).toBe("512Mi");
  });

  test("probes on the admin port", () => {
    expect(container.liveness_probe.http_get).toEqual({ path: "/live", port: "3001" });
    expect(container.readiness_probe.http_get).toEqual({ path: "/ready", port: "3001" });
  });

  test("settings: schema api, anon role, audience, max rows, pool, the gateway's public URL", () => {
    expect(env).toMatchObject({
      PGRST_DB_SCHEMAS: "api",
      PGRST_DB_ANON_ROLE: "anon",
      PGRST_JWT_AUD: "postgrest",
      PGRST_DB_MAX_ROWS: "1000",
      PGRST_DB_POOL: "10",
      PGRST_OPENAPI_SERVER_PROXY_URI: "https://api.platform.example.com",
    });
  });

  test("db-uri through authenticator and the JWT secret come from a Secret made from sensitive variables", () => {
    expect(container.env_from).toEqual([{ secret_ref: { name: expect.stringContaining("kubernetes_secret_v1") } }]);
    const secret = t.resources("kubernetes_secret_v1").find((s) => s.metadata.name === "postgrest")!;
    expect(secret.data.PGRST_DB_URI).toBe(
      "postgres://authenticator:${urlencode(var.cnpg_authenticator_password)}@mock-data-rw.databases.svc.cluster.local:5432/mockdata?sslmode=require",
    );
    expect(secret.data.PGRST_JWT_SECRET).toBe("${var.postgrest_jwt_secret}");
    expect(t.variables().postgrest_jwt_secret.validation[0].condition).toBe("${length(var.postgrest_jwt_secret) >= 32}");
  });

  test("the Service exposes the API port only; there is no route to PostgREST", () => {
    const service = t.resources("kubernetes_service_v1").find((s) => s.metadata.name === "postgrest")!;
    expect(service.spec.type).toBe("ClusterIP");
    expect(service.spec.port).toEqual([{ name: "http", port: 3000, target_port: "http" }]);
    expect(JSON.stringify(t.resources("kubernetes_manifest"))).not.toContain('"postgrest"');
  });

  test("a PodDisruptionBudget keeps one replica through node drains", () => {
    expect(t.resources("kubernetes_pod_disruption_budget_v1")[0].spec.min_available).toBe("1");
  });
});

describe("the schema job", () => {
  test("applies the generated SQL as the database owner, in the databases namespace, rerun when the SQL changes", () => {
    const job = t.resources("kubernetes_job_v1")[0];
    expect(job.metadata.namespace).toBe("databases");
    expect(job.metadata.name).toMatch(/^api-schema-[0-9a-f]{10}$/);
    const container = job.spec.template.spec.container[0];
    expect(container.env[0].value_from.secret_key_ref).toEqual({ name: "mock-data-app", key: "uri" });
    const sql = t.resources("kubernetes_config_map_v1").find((m) => m.data["api.sql"])!.data["api.sql"];
    expect(sql).toContain("CREATE SCHEMA IF NOT EXISTS api;");
    expect(sql).toContain("CREATE POLICY org_isolation ON api.orders");
  });
});

describe("NetworkPolicies", () => {
  const policies = Object.fromEntries(t.resources("kubernetes_network_policy_v1").map((p) => [p.metadata.name, p.spec]));

  test("the namespace denies all traffic by default", () => {
    expect(policies["default-deny"]).toEqual({ pod_selector: {}, policy_types: ["Ingress", "Egress"] });
  });

  test("PostgREST accepts its API port only from the gateway, its admin port only from Prometheus", () => {
    const p = policies.postgrest;
    expect(p.ingress).toEqual([
      { from: [{ pod_selector: { match_labels: { "app.kubernetes.io/instance": "api-gateway" } } }], ports: [{ port: "3000", protocol: "TCP" }] },
      { from: [{ namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "monitoring" } } }], ports: [{ port: "3001", protocol: "TCP" }] },
    ]);
    expect(p.egress).toEqual([{ to: [{ namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "databases" } } }], ports: [{ port: "5432", protocol: "TCP" }] }]);
  });

  test("the database accepts PostgREST, the loader, pgAdmin, the schema job, its peers, the operator and Prometheus only", () => {
    const db = templates.cnpg.resources("kubernetes_network_policy_v1")[0].spec;
    expect(db.policy_types).toEqual(["Ingress"]);
    const postgresClients = db.ingress[0].from.map((f: any) => f.pod_selector.match_labels["app.kubernetes.io/name"]);
    expect(postgresClients).toEqual(["postgrest", "pgadmin4", "api-schema", "data-loader"]);
    expect(db.ingress[0].from.slice(0, 2).every((f: any) => f.namespace_selector.match_labels["kubernetes.io/metadata.name"] === "mock-data-api")).toBe(true);
    expect(db.ingress.map((i: any) => (i.ports ?? []).map((p: any) => p.port))).toEqual([["5432"], [], ["8000", "5432"], ["9187"]]);
  });
});

describe("the data loader", () => {
  const cron = t.resources("kubernetes_cron_job_v1").find((c) => c.metadata.name === "data-loader")!;
  const pod = cron.spec.job_template.spec.template.spec;

  test("a suspended CronJob, run by hand, never on a schedule", () => {
    expect(cron.spec.suspend).toBe(true);
    expect(cron.spec.job_template.spec.backoff_limit).toBe(0);
  });

  test("downloads from the dumps bucket with gcloud through Workload Identity, into bounded scratch space", () => {
    const download = pod.init_container[0];
    expect(download.image).toMatch(/^gcr\.io\/google\.com\/cloudsdktool\/google-cloud-cli:\d+\.\d+\.\d+-slim$/);
    expect(download.env).toContainEqual({ name: "DUMP_URL", value: "gs://example-platform-example-api-dumps/dumps/latest.dump" });
    expect(pod.volume.find((v: any) => v.name === "scratch").empty_dir.size_limit).toBe("10Gi");
    expect(pod.service_account_name).toBe("data-loader");
    const sa = t.resources("kubernetes_service_account_v1").find((s) => s.metadata.name === "data-loader")!;
    expect(sa.metadata.annotations).toEqual({ "iam.gke.io/gcp-service-account": "example-data-loader@example-platform.iam.gserviceaccount.com" });
    expect(t.resources("google_storage_bucket_iam_member")).toContainEqual(
      expect.objectContaining({ role: "roles/storage.objectViewer", member: "serviceAccount:example-data-loader@example-platform.iam.gserviceaccount.com" }),
    );
  });

  test("loads into the target from config as its owner", () => {
    const load = pod.container[0];
    expect(load.env).toContainEqual({ name: "DATABASE_URI", value_from: { secret_key_ref: { name: "mock-data-app", key: "uri" } } });
    const old = synthPlatform(
      environment("example", (c) => {
        c.cnpg = { oldData: { enabled: true } };
        c.mockDataApi.loader = { target: "old-data" };
      }),
    ).templates.mockDataApi;
    const oldLoad = old.resources("kubernetes_cron_job_v1")[0].spec.job_template.spec.template.spec.container[0];
    expect(oldLoad.env).toContainEqual({ name: "DATABASE_URI", value_from: { secret_key_ref: { name: "old-data-app", key: "uri" } } });
  });
});
