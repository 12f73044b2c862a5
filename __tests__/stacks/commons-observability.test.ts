/** commons: metrics, alerts, dashboards and logs (kube-prometheus-stack, Loki, Alloy). */
import { alloyConfig } from "../../modules/alloy";
import { environment, synthPlatform } from "../support/environments";
import type { Template } from "../support/template";

const commons = (change?: (c: Record<string, any>) => void): Template => synthPlatform(environment("example", change)).templates.commons;
const t = commons();
const kps = t.helmValues("kube-prometheus-stack");

describe("Prometheus", () => {
  test("retention, retention size and a persistent volume from config, at the chart's real paths", () => {
    expect(kps.prometheus.prometheusSpec).toMatchObject({
      retention: "15d",
      retentionSize: "45GB",
      storageSpec: { volumeClaimTemplate: { spec: { storageClassName: "standard-rwo", resources: { requests: { storage: "50Gi" } } } } },
    });
    const changed = commons((c) => (c.commons.monitoring = { ...c.commons.monitoring, retention: "30d", retentionSize: "90GB", prometheusStorage: "100Gi" }));
    expect(changed.helmValues("kube-prometheus-stack").prometheus.prometheusSpec).toMatchObject({ retention: "30d", retentionSize: "90GB" });
  });

  test("selects the monitors and rules of every namespace, not only the chart's own", () => {
    for (const key of ["rule", "serviceMonitor", "podMonitor", "probe", "scrapeConfig"]) {
      expect(kps.prometheus.prometheusSpec[`${key}SelectorNilUsesHelmValues`]).toBe(false);
    }
  });
});

describe("Alertmanager", () => {
  test("keeps its state on a persistent volume", () => {
    expect(kps.alertmanager.alertmanagerSpec.storage.volumeClaimTemplate.spec.resources.requests.storage).toBe("2Gi");
  });

  test("routes every namespace's alerts to e-mail and Teams, Watchdog excepted", () => {
    const { route, receivers } = kps.alertmanager.config;
    expect(route.receiver).toBe("platform");
    expect(route.routes).toEqual([{ receiver: "null", matchers: ['alertname = "Watchdog"'] }]);
    expect(kps.alertmanager.alertmanagerSpec.alertmanagerConfigMatcherStrategy).toEqual({ type: "None" });
    const platform = receivers.find((r: any) => r.name === "platform");
    expect(platform.email_configs).toEqual([
      {
        to: "platform-team@example.com",
        from: "alertmanager@example.com",
        smarthost: "smtp.example.com:587",
        auth_username: "alertmanager@example.com",
        auth_password_file: "/etc/alertmanager/secrets/alertmanager-smtp/password",
        require_tls: true,
        send_resolved: true,
      },
    ]);
    expect(platform.msteamsv2_configs).toEqual([{ webhook_url_file: "/etc/alertmanager/secrets/alertmanager-teams/webhook-url", send_resolved: true }]);
  });

  test("the SMTP password and the Teams URL are files from Secrets made from sensitive variables", () => {
    expect(kps.alertmanager.alertmanagerSpec.secrets).toEqual(["alertmanager-smtp", "alertmanager-teams"]);
    const data = Object.fromEntries(t.resources("kubernetes_secret_v1").map((s) => [s.metadata.name, s.data]));
    expect(data["alertmanager-smtp"]).toEqual({ password: "${var.alertmanager_smtp_password}" });
    expect(data["alertmanager-teams"]).toEqual({ "webhook-url": "${var.alertmanager_teams_webhook_url}" });
  });

  test("without e-mail recipients or Teams there is no receiver and no secret to provide", () => {
    const quiet = commons((c) => {
      c.commons.monitoring.alertEmails = [];
      delete c.commons.monitoring.smtp;
      c.commons.monitoring.teams = false;
    });
    const values = quiet.helmValues("kube-prometheus-stack");
    expect(values.alertmanager.config.route.receiver).toBe("null");
    expect(values.alertmanager.alertmanagerSpec.secrets).toEqual([]);
    expect(Object.keys(quiet.variables())).not.toEqual(expect.arrayContaining(["alertmanager_smtp_password"]));
    expect(Object.keys(quiet.variables())).not.toContain("alertmanager_teams_webhook_url");
  });
});

describe("Grafana", () => {
  test("admin credentials from a Secret, never inline", () => {
    expect(kps.grafana.admin).toEqual({ existingSecret: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" });
    expect(JSON.stringify(kps.grafana)).not.toMatch(/adminPassword|client_secret/);
  });

  test("persistent, and restarted with Recreate (one RWO volume)", () => {
    expect(kps.grafana.persistence).toMatchObject({ enabled: true, size: "5Gi", storageClassName: "standard-rwo" });
    expect(kps.grafana.deploymentStrategy).toEqual({ type: "Recreate" });
  });

  test("signs in through the platform realm of Keycloak with PKCE, the client secret from a Secret", () => {
    const oauth = kps.grafana["grafana.ini"]["auth.generic_oauth"];
    expect(oauth).toMatchObject({
      enabled: true,
      client_id: "grafana",
      use_pkce: true,
      auth_url: "https://auth.platform.example.com/realms/kubernetes/protocol/openid-connect/auth",
      token_url: "https://auth.platform.example.com/realms/kubernetes/protocol/openid-connect/token",
    });
    expect(kps.grafana.envValueFrom.GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET).toEqual({ secretKeyRef: { name: "grafana-oidc", key: "client-secret" } });
    expect(kps.grafana["grafana.ini"].server.root_url).toBe("https://grafana.platform.example.com");
  });

  test("has Loki as a datasource, with the platform tenant", () => {
    expect(kps.grafana.additionalDataSources).toEqual([
      expect.objectContaining({ type: "loki", url: "http://loki.logging.svc.cluster.local:3100", secureJsonData: { httpHeaderValue1: "platform" } }),
    ]);
  });

  test("node exporter runs in its own privileged namespace, the rest of the release stays restricted", () => {
    expect(kps["prometheus-node-exporter"].namespaceOverride).toBe("node-exporter");
    expect(kps.grafana.initChownData).toEqual({ enabled: false });
  });
});

describe("Loki", () => {
  const loki = t.helmValues("loki");

  test("monolithic by default, one replica, multi-tenant, retention by the compactor", () => {
    expect(loki.deploymentMode).toBe("Monolithic");
    expect(loki.singleBinary.replicas).toBe(1);
    expect([loki.read.replicas, loki.write.replicas, loki.backend.replicas]).toEqual([0, 0, 0]);
    expect(loki.loki.commonConfig.replication_factor).toBe(1);
    expect(loki.loki.auth_enabled).toBe(true);
    expect(loki.loki.compactor).toMatchObject({ retention_enabled: true, delete_request_store: "gcs" });
    expect(loki.loki.structuredConfig.limits_config.retention_period).toBe("744h");
  });

  test("simple-scalable by config", () => {
    const ssd = commons((c) => (c.commons.logs.mode = "simple-scalable"));
    const values = ssd.helmValues("loki");
    expect(values.deploymentMode).toBe("SimpleScalable");
    expect(values.singleBinary.replicas).toBe(0);
    expect(values.write.replicas).toBe(3);
    expect(ssd.helmValues("kube-prometheus-stack").grafana.additionalDataSources[0].url).toBe("http://loki-read.logging.svc.cluster.local:3100");
  });

  test("chunks and ruler in GCS buckets of this stack", () => {
    expect(loki.loki.storage).toEqual({ type: "gcs", bucketNames: { chunks: "example-platform-example-loki-chunks", ruler: "example-platform-example-loki-ruler" } });
    expect(loki.loki.schemaConfig.configs[0]).toMatchObject({ from: "2025-01-01", object_store: "gcs", store: "tsdb" });
  });

  test("Workload Identity end to end: Google SA, bucket IAM, KSA annotation, workloadIdentityUser binding; no key", () => {
    const sa = t.resources("google_service_account").find((s) => s.account_id === "example-loki")!;
    const member = "serviceAccount:example-loki@example-platform.iam.gserviceaccount.com";
    const grants = t.resources("google_storage_bucket_iam_member").filter((g) => g.member === member);
    expect(grants).toHaveLength(2);
    expect(grants.every((g) => g.role === "roles/storage.objectUser")).toBe(true);
    expect(loki.serviceAccount).toEqual({ create: true, name: "loki", annotations: { "iam.gke.io/gcp-service-account": "example-loki@example-platform.iam.gserviceaccount.com" } });
    expect(t.resources("google_service_account_iam_member")).toContainEqual(
      expect.objectContaining({ role: "roles/iam.workloadIdentityUser", member: "serviceAccount:example-platform.svc.id.goog[logging/loki]", service_account_id: `\${google_service_account.${sa.$id}.name}` }),
    );
    expect(t.resourceTypes()).not.toContain("google_service_account_key");
    expect(t.resource("helm_release", { name: "loki" }).depends_on).toEqual(expect.arrayContaining(grants.map((g) => `google_storage_bucket_iam_member.${g.$id}`)));
  });

  test("no in-memory caches sized for a large cluster by default", () => {
    expect(loki.chunksCache.allocatedMemory).toBeLessThanOrEqual(1024);
  });
});

describe("Alloy", () => {
  const alloy = t.helmValues("alloy");
  const config: string = alloy.alloy.configMap.content;

  test("one pod per node, reading only its own node's pods' log files", () => {
    expect(alloy.controller.type).toBe("daemonset");
    expect(config).toContain('field = "spec.nodeName=" + coalesce(sys.env("HOSTNAME"), constants.hostname)');
    expect(config).toContain('loki.source.file "pods"');
    expect(config).not.toContain("loki.source.kubernetes \"");
    expect(alloy.alloy.mounts.varlog).toBe(true);
  });

  test("read positions survive restarts (kept on the node), so nothing is sent twice", () => {
    expect(alloy.alloy.storagePath).toBe("/var/lib/alloy/data");
    expect(alloy.controller.volumes.extra[0].hostPath.path).toBe("/var/lib/alloy");
  });

  test("events once, through the Alloy cluster", () => {
    expect(config).toMatch(/loki\.source\.kubernetes_events "events" \{[\s\S]*clustering \{\s*enabled = true/);
    expect(alloy.alloy.clustering.enabled).toBe(true);
  });

  test("labels namespace, pod, container, app and cluster; pushes to Loki with the tenant", () => {
    for (const label of ["namespace", "pod", "container", "app"]) expect(config).toContain(`target_label  = "${label}"`);
    expect(config).toContain('external_labels = { cluster = "platform" }');
    expect(config).toContain('url       = "http://loki.logging.svc.cluster.local:3100/loki/api/v1/push"');
    expect(config).toContain('tenant_id = "platform"');
  });

  test("config values are quoted, whatever they hold", () => {
    expect(alloyConfig({ lokiUrl: 'http://x"y', tenant: "t", cluster: "c" })).toContain('url       = "http://x\\"y"');
  });

  test("runs as root only to read the log files: no privilege escalation, no capability", () => {
    expect(alloy.alloy.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
  });
});
