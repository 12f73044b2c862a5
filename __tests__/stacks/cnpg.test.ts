/** The cnpg stack: the mock-data API's PostgreSQL in each mode, its backups, roles and monitoring. */
import { cnpgAlertRules } from "../../modules/cnpg-monitoring";
import { ConfigError, validateConfig } from "../../lib/config";
import { environment, exampleRaw, synthPlatform } from "../support/environments";
import type { Template } from "../support/template";

const cnpg = (change?: (c: Record<string, any>) => void): Template => synthPlatform(environment("example", change)).templates.cnpg;
const manifests = (tpl: Template, kind: string) => tpl.resources("kubernetes_manifest").map((r) => r.manifest).filter((m) => m.kind === kind);
const cluster = (tpl: Template, name = "mock-data") => manifests(tpl, "Cluster").find((m) => m.metadata.name === name)!;

describe("primary mode (default)", () => {
  const t = cnpg();
  const spec = cluster(t).spec;

  test("name, instances, storage, resources and PostgreSQL version from config; superuser off", () => {
    expect(spec).toMatchObject({
      instances: 2,
      imageName: "ghcr.io/cloudnative-pg/postgresql:17.6",
      enableSuperuserAccess: false,
      storage: { size: "20Gi", storageClass: "standard-rwo" },
      resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { memory: "2Gi" } },
      bootstrap: { initdb: { database: "mockdata", owner: "mockdata" } },
    });
    const custom = cluster(cnpg((c) => (c.cnpg = { cluster: { name: "api-db", instances: 3, postgresVersion: "16", storage: "50Gi", memory: "2Gi" } })), "api-db").spec;
    expect(custom).toMatchObject({ instances: 3, imageName: "ghcr.io/cloudnative-pg/postgresql:16.10", storage: { size: "50Gi" }, resources: { limits: { memory: "4Gi" } } });
  });

  test("WAL archived and backed up through the Barman Cloud plugin (no in-tree barmanObjectStore)", () => {
    expect(spec.plugins).toEqual([
      {
        name: "barman-cloud.cloudnative-pg.io",
        enabled: true,
        isWALArchiver: true,
        parameters: { barmanObjectName: "mock-data-backups", serverName: expect.stringMatching(/^mock-data-\$\{substr\(terraform_data\.\S+\.id, 0, 8\)\}$/) },
      },
    ]);
    expect(JSON.stringify(spec)).not.toContain("barmanObjectStore");
    const store = manifests(t, "ObjectStore")[0];
    expect(store.spec).toMatchObject({
      retentionPolicy: "30d",
      configuration: { destinationPath: "gs://example-platform-example-cnpg-backups/", googleCredentials: { gkeEnvironment: true } },
    });
  });

  test("a daily base backup with a six-field cron", () => {
    const scheduled = manifests(t, "ScheduledBackup")[0];
    expect(scheduled.spec).toMatchObject({ schedule: "0 0 2 * * *", cluster: { name: "mock-data" }, method: "plugin", pluginConfiguration: { name: "barman-cloud.cloudnative-pg.io" } });
  });

  test("the backup bucket is private, versioned and protected; reached through Workload Identity only", () => {
    expect(t.resource("google_storage_bucket", { name: "example-platform-example-cnpg-backups" })).toMatchObject({
      uniform_bucket_level_access: true,
      public_access_prevention: "enforced",
      versioning: { enabled: true },
      lifecycle: { prevent_destroy: true },
    });
    expect(spec.serviceAccountTemplate.metadata.annotations).toEqual({ "iam.gke.io/gcp-service-account": "example-mock-data@example-platform.iam.gserviceaccount.com" });
    expect(t.resources("google_service_account_iam_member")).toContainEqual(
      expect.objectContaining({ role: "roles/iam.workloadIdentityUser", member: "serviceAccount:example-platform.svc.id.goog[databases/mock-data]" }),
    );
    expect(t.resourceTypes()).not.toContain("google_service_account_key");
  });

  test("the server name changes whenever the mode changes (a new lineage, never a used folder)", () => {
    const lineage = t.resources("terraform_data")[0];
    expect(lineage.triggers_replace).toEqual({ mode: "primary" });
    expect(t.outputs().server_name.value).toBe(spec.plugins[0].parameters.serverName);
  });
});

describe("replica mode", () => {
  const t = cnpg((c) => {
    c.cnpg = { cluster: { mode: "replica", replicaOf: { serverName: "mock-data-1a2b3c4d", bucket: "prod-cnpg-backups" } } };
  });
  const spec = cluster(t).spec;

  test("bootstraps from and keeps recovering from the source's archive", () => {
    expect(spec.replica).toEqual({ enabled: true, source: "origin" });
    expect(spec.bootstrap).toEqual({ recovery: { source: "origin", database: "mockdata", owner: "mockdata" } });
    expect(spec.externalClusters).toEqual([
      { name: "origin", plugin: { name: "barman-cloud.cloudnative-pg.io", parameters: { barmanObjectName: "mock-data-origin", serverName: "mock-data-1a2b3c4d" } } },
    ]);
  });

  test("reads the source bucket (read-only) and archives under its own, new server name", () => {
    expect(manifests(t, "ObjectStore").map((s) => [s.metadata.name, s.spec.configuration.destinationPath])).toEqual([
      ["mock-data-backups", "gs://example-platform-example-cnpg-backups/"],
      ["mock-data-origin", "gs://prod-cnpg-backups/"],
    ]);
    expect(t.resource("google_storage_bucket_iam_member", { bucket: "prod-cnpg-backups" }).role).toBe("roles/storage.objectViewer");
    expect(t.resources("terraform_data")[0].triggers_replace).toEqual({ mode: "replica" });
  });

  test("a source in this environment's own bucket reuses its ObjectStore", () => {
    const same = cnpg((c) => (c.cnpg = { cluster: { mode: "replica", replicaOf: { serverName: "mock-data-0f0f0f0f" } } }));
    expect(manifests(same, "ObjectStore")).toHaveLength(1);
    expect(cluster(same).spec.externalClusters[0].plugin.parameters).toEqual({ barmanObjectName: "mock-data-backups", serverName: "mock-data-0f0f0f0f" });
  });
});

describe("restore mode", () => {
  test("recovers from the latest backup of the named server", () => {
    const spec = cluster(cnpg((c) => (c.cnpg = { cluster: { mode: "restore", restore: { serverName: "mock-data-1a2b3c4d" } } }))).spec;
    expect(spec.bootstrap).toEqual({ recovery: { source: "origin", database: "mockdata", owner: "mockdata" } });
    expect(spec.replica).toBeUndefined();
  });

  test("or up to a point in time", () => {
    const spec = cluster(cnpg((c) => (c.cnpg = { cluster: { mode: "restore", restore: { serverName: "mock-data-1a2b3c4d", targetTime: "2026-11-20T14:00:00Z" } } }))).spec;
    expect(spec.bootstrap.recovery.recoveryTarget).toEqual({ targetTime: "2026-11-20T14:00:00Z" });
  });
});

describe("roles and databases", () => {
  const t = cnpg((c) => {
    c.cnpg = {
      roles: [{ name: "reporting" }, { name: "loader", password: "secret" }, { name: "readers", login: false }],
      databases: [{ name: "reports", owner: "reporting" }],
    };
  });
  const roles = cluster(t).spec.managed.roles;

  test("login roles get their passwords from Secrets, generated or from a sensitive variable", () => {
    expect(roles.filter((r: any) => !["anon", "authenticator"].includes(r.name) && !r.name.startsWith("org_")).map((r: any) => [r.name, r.login, r.passwordSecret?.name ?? null])).toEqual([
      ["reporting", true, "mock-data-role-reporting"],
      ["loader", true, "mock-data-role-loader"],
      ["readers", false, null],
    ]);
    const secrets = Object.fromEntries(t.resources("kubernetes_secret_v1").map((s) => [s.metadata.name, s]));
    expect(secrets["mock-data-role-reporting"].data.password).toMatch(/^\$\{random_password\.\S+\.result\}$/);
    expect(secrets["mock-data-role-loader"].data.password).toBe("${var.cnpg_loader_password}");
    expect(secrets["mock-data-role-loader"].type).toBe("kubernetes.io/basic-auth");
    expect(t.variables().cnpg_loader_password).toMatchObject({ sensitive: true });
  });

  test("databases are Database resources owned by their role", () => {
    expect(manifests(t, "Database").map((d) => d.spec)).toEqual([
      { name: "reports", owner: "reporting", cluster: { name: "mock-data" }, ensure: "present", databaseReclaimPolicy: "retain" },
    ]);
  });
});

test("the API's roles are managed by the operator: authenticator logs in, inherits nothing, may become anon or an org", () => {
  const roles = cluster(cnpg()).spec.managed.roles;
  expect(roles.find((r: any) => r.name === "authenticator")).toMatchObject({
    login: true,
    inherit: false,
    inRoles: ["anon", "org_acme", "org_globex"],
    passwordSecret: { name: "mock-data-role-authenticator" },
  });
  expect(roles.filter((r: any) => r.name === "anon" || r.name.startsWith("org_")).every((r: any) => r.login === false && r.disablePassword === true)).toBe(true);
});

describe("the old-data cluster", () => {
  test("absent unless enabled", () => {
    expect(manifests(cnpg(), "Cluster").map((c) => c.metadata.name)).toEqual(["mock-data"]);
  });

  test("its own storage and no backups unless configured", () => {
    const t = cnpg((c) => (c.cnpg = { oldData: { enabled: true, storage: "100Gi" } }));
    const old = cluster(t, "old-data").spec;
    expect(old.storage.size).toBe("100Gi");
    expect(old.plugins).toBeUndefined();
    expect(manifests(t, "ScheduledBackup").map((s) => s.spec.cluster.name)).toEqual(["mock-data"]);
    const backedUp = cnpg((c) => (c.cnpg = { oldData: { enabled: true, backups: true } }));
    expect(manifests(backedUp, "ScheduledBackup").map((s) => s.spec.cluster.name)).toEqual(["mock-data", "old-data"]);
  });
});

describe("monitoring", () => {
  const t = cnpg();

  test("a PodMonitor on the instances", () => {
    expect(manifests(t, "PodMonitor")[0].spec).toEqual({
      selector: { matchLabels: { "cnpg.io/cluster": "mock-data", "cnpg.io/podRole": "instance" } },
      podMetricsEndpoints: [{ port: "metrics" }],
    });
  });

  test("alerts: instance down, replication lag, backup failed or too old, WAL archiving failing, storage almost full", () => {
    const rules = manifests(t, "PrometheusRule")[0].spec.groups[0].rules.map((r: any) => r.alert);
    expect(rules.sort()).toEqual(["CnpgBackupTooOld", "CnpgInstanceDown", "CnpgLastBackupFailed", "CnpgReplicationLagHigh", "CnpgStorageAlmostFull", "CnpgWalArchivingFailing"]);
  });

  test("the instance-down rule counts the configured instances", () => {
    const rule = cnpgAlertRules({ cluster: "mock-data", instances: 3, backups: false }, "databases").find((r) => r.alert === "CnpgInstanceDown")!;
    expect(rule.expr).toBe('count(cnpg_collector_up{namespace="databases",pod=~"mock-data-[0-9]+"} == 1) < 3 or absent(cnpg_collector_up{namespace="databases",pod=~"mock-data-[0-9]+"})');
  });

  test("a Grafana dashboard provisioned by code", () => {
    const cm = t.resources("kubernetes_config_map_v1")[0];
    expect(cm.metadata.labels).toEqual({ grafana_dashboard: "1" });
    const dashboard = JSON.parse(cm.data["mock-data.json"]);
    expect(dashboard.title).toBe("PostgreSQL mock-data");
    expect(dashboard.panels.length).toBeGreaterThanOrEqual(6);
  });
});

describe("bad cnpg config is refused with a clear line", () => {
  const problems = (cnpgSection: Record<string, unknown>) => {
    const raw = exampleRaw();
    raw.cnpg = cnpgSection;
    try {
      validateConfig(raw, "config/test.yaml");
      return [];
    } catch (e) {
      return [...(e as ConfigError).problems];
    }
  };

  test.each([
    ["replica without a source", { cluster: { mode: "replica" } },
      "config/test.yaml: cnpg.cluster.replicaOf: nothing, expected the serverName (and bucket) to follow, because cnpg.cluster.mode is replica"],
    ["restore without a backup to restore", { cluster: { mode: "restore" } },
      "config/test.yaml: cnpg.cluster.restore: nothing, expected the serverName (and bucket) to restore from, because cnpg.cluster.mode is restore"],
    ["a restore source left in primary mode", { cluster: { restore: { serverName: "x-1" } } },
      "config/test.yaml: cnpg.cluster.restore: a map, expected nothing, because cnpg.cluster.mode is primary (or set mode: restore)"],
    ["an uppercase role name", { roles: [{ name: "Reporting" }] },
      'config/test.yaml: cnpg.roles[0].name: "Reporting", expected a lowercase PostgreSQL name of letters, digits and underscores, such as api_reader'],
    ["a duplicate role name", { roles: [{ name: "reporting" }, { name: "reporting" }] },
      'config/test.yaml: cnpg.roles[1].name: "reporting", expected a name not used before (cnpg.roles[0].name has it)'],
    ["a malformed retention", { backups: { retention: "30 days" } },
      'config/test.yaml: cnpg.backups.retention: "30 days", expected a retention such as 30d, 4w or 3m'],
    ["a five-field cron", { backups: { schedule: "0 2 * * *" } },
      'config/test.yaml: cnpg.backups.schedule: "0 2 * * *", expected a six-field cron with seconds first, such as "0 0 2 * * *" (daily at 02:00)'],
    ["a database owned by an unknown role", { databases: [{ name: "reports", owner: "nobody" }] },
      'config/test.yaml: cnpg.databases[0].owner: "nobody", expected a role listed in cnpg.roles'],
    ["a point in time without offset", { cluster: { mode: "restore", restore: { serverName: "x-1", targetTime: "2026-11-20 14:00" } } },
      'config/test.yaml: cnpg.cluster.restore.targetTime: "2026-11-20 14:00", expected a time with its offset such as 2026-11-20T14:00:00Z'],
  ])("%s", (_name, section, line) => {
    expect(problems(section)).toEqual([line]);
  });
});
