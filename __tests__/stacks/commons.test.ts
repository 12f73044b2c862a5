/** The commons stack: what reaches Terraform for each shared service (issue: commons). */
import { parse } from "yaml";
import { POD_SECURITY_EXCEPTIONS } from "../../lib/pod-security";
import { CHARTS } from "../../lib/versions";
import { publicKeycloakPaths } from "../../modules/keycloak";
import { environment, synthPlatform } from "../support/environments";
import type { Template } from "../support/template";

const commons = (change?: (c: Record<string, any>) => void): Template => synthPlatform(environment("example", change)).templates.commons;
const t = commons();
const manifests = (kind: string, tpl = t) => tpl.resources("kubernetes_manifest").map((r) => r.manifest).filter((m) => m.kind === kind);
const ref = (tpl: Template, release: string) => `helm_release.${tpl.resource("helm_release", { name: release }).$id}`;

describe("namespaces", () => {
  const namespaces = t.resources("kubernetes_namespace_v1").map((r) => r.metadata);

  test("every namespace enforces, audits and warns at the same Pod Security level", () => {
    expect(namespaces.map((n) => n.name).sort()).toEqual(["cert-manager", "cnpg-system", "gateway", "keycloak", "logging", "monitoring", "node-exporter"]);
    for (const n of namespaces) {
      const level = POD_SECURITY_EXCEPTIONS[n.name]?.level ?? "restricted";
      for (const mode of ["enforce", "audit", "warn"]) expect(n.labels[`pod-security.kubernetes.io/${mode}`]).toBe(level);
    }
  });

  test("only the listed exceptions are not restricted, each with its reason", () => {
    const relaxed = namespaces.filter((n) => n.labels["pod-security.kubernetes.io/enforce"] !== "restricted").map((n) => n.name);
    expect(relaxed.sort()).toEqual(["logging", "node-exporter"]);
    for (const name of relaxed) expect(POD_SECURITY_EXCEPTIONS[name].reason.length).toBeGreaterThan(20);
  });

  test("every release goes into a namespace this stack creates", () => {
    const names = new Set(namespaces.map((n) => n.name));
    for (const r of t.resources("helm_release")) expect(names).toContain(r.namespace);
  });
});

describe("every release", () => {
  const pins = new Map(Object.values(CHARTS).map((c) => [c.chart, c]));
  test.each(t.resources("helm_release").map((r) => [r.name, r]))("%s: pinned chart and repository from lib/versions.ts, waits, bounded time", (_n, r) => {
    const pin = pins.get(r.chart)!;
    expect(pin).toBeDefined();
    expect({ version: r.version, repository: r.repository }).toEqual({ version: pin.version, repository: pin.repository });
    expect(r.wait).toBe(true);
    expect(r.timeout).toBeGreaterThanOrEqual(300);
    expect(r.create_namespace).toBe(false);
  });
});

describe("cert-manager and certificates", () => {
  test("installs its CRDs and Gateway API support", () => {
    expect(t.helmValues("cert-manager")).toMatchObject({ crds: { enabled: true }, config: { gatewayAPI: { enabled: true } } });
  });

  const extra = () => t.helmValues("kube-prometheus-stack").extraManifests as any[];

  test("Let's Encrypt staging and production issuers with the ACME e-mail from config, HTTP-01 through the Gateway", () => {
    const issuers = extra().filter((m) => m.kind === "ClusterIssuer");
    expect(issuers.map((i) => [i.metadata.name, i.spec.acme.server])).toEqual([
      ["letsencrypt-production", "https://acme-v02.api.letsencrypt.org/directory"],
      ["letsencrypt-staging", "https://acme-staging-v02.api.letsencrypt.org/directory"],
    ]);
    for (const i of issuers) {
      expect(i.spec.acme.email).toBe("platform-team@example.com");
      expect(i.spec.acme.solvers).toEqual([
        { http01: { gatewayHTTPRoute: { parentRefs: [{ name: "platform", namespace: "gateway", sectionName: "http", kind: "Gateway" }] } } },
      ]);
    }
  });

  test("a certificate per public hostname, from the configured issuer, with a temporary one first", () => {
    const certs = extra().filter((m) => m.kind === "Certificate");
    expect(certs.map((c) => c.spec.dnsNames[0]).sort()).toEqual(["api", "auth", "grafana", "swagger"].map((h) => `${h}.platform.example.com`));
    for (const c of certs) {
      expect(c.spec.issuerRef).toEqual({ kind: "ClusterIssuer", name: "letsencrypt-production" });
      expect(c.metadata.annotations["cert-manager.io/issue-temporary-certificate"]).toBe("true");
    }
    const staging = commons((c) => (c.commons.acme.issuer = "staging")).helmValues("kube-prometheus-stack").extraManifests as any[];
    expect(staging.filter((m) => m.kind === "Certificate").every((c) => c.spec.issuerRef.name === "letsencrypt-staging")).toBe(true);
  });

  test("the release carrying them comes after cert-manager (their CRDs)", () => {
    expect(t.resource("helm_release", { name: "kube-prometheus-stack" }).depends_on).toContain(ref(t, "cert-manager"));
  });
});

describe("the shared Gateway", () => {
  const gateway = manifests("Gateway")[0];

  test("GKE's managed class on a reserved address that can never be destroyed by a plan", () => {
    expect(gateway.spec.gatewayClassName).toBe("gke-l7-global-external-managed");
    const address = t.resources("google_compute_global_address")[0];
    expect(address.lifecycle).toEqual({ prevent_destroy: true });
    expect(gateway.spec.addresses).toEqual([{ type: "NamedAddress", value: `\${google_compute_global_address.${address.$id}.name}` }]);
  });

  test("HTTPS listeners only for the public hostnames, each with its cert-manager Secret; HTTP only redirects", () => {
    const https = gateway.spec.listeners.filter((l: any) => l.protocol === "HTTPS");
    expect(https.map((l: any) => [l.hostname, l.tls.certificateRefs[0].name])).toEqual([
      ["auth.platform.example.com", "keycloak-tls"],
      ["grafana.platform.example.com", "grafana-tls"],
      ["api.platform.example.com", "api-tls"],
      ["swagger.platform.example.com", "swagger-tls"],
    ]);
    const http = gateway.spec.listeners.filter((l: any) => l.protocol === "HTTP");
    expect(http).toEqual([{ name: "http", protocol: "HTTP", port: 80, allowedRoutes: { namespaces: { from: "Same" } } }]);
    const redirect = manifests("HTTPRoute").find((r) => r.metadata.name === "http-to-https")!;
    expect(redirect.spec.rules).toEqual([{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }]);
  });

  test("routes attach only from labelled namespaces, and only Keycloak and Grafana are routed here", () => {
    for (const l of gateway.spec.listeners.filter((x: any) => x.protocol === "HTTPS")) {
      expect(l.allowedRoutes.namespaces).toEqual({ from: "Selector", selector: { matchLabels: { "platform-bootstrap/gateway-access": "true" } } });
    }
    const routes = manifests("HTTPRoute").filter((r) => r.metadata.name !== "http-to-https");
    expect(routes.map((r) => `${r.metadata.namespace}/${r.spec.rules[0].backendRefs[0].name}`).sort()).toEqual([
      "keycloak/keycloak-http",
      "monitoring/kube-prometheus-stack-grafana",
    ]);
  });
});

describe("Keycloak", () => {
  const values = t.helmValues("keycloak");

  test("production mode on its CloudNativePG database, behind the Gateway's forwarded headers", () => {
    expect(values.command).toEqual(["/opt/keycloak/bin/kc.sh", "start", "--http-port=8080"]);
    expect(values.proxy.mode).toBe("xforwarded");
    expect(values.database).toMatchObject({ vendor: "postgres", hostname: "keycloak-db-rw", existingSecret: "keycloak-db-app", existingSecretKey: "password" });
    expect(parse(values.extraEnv)).toContainEqual({ name: "KC_HOSTNAME", value: "https://auth.platform.example.com" });
    expect(values.image).toEqual({ repository: "quay.io/keycloak/keycloak", tag: "26.5.6" });
  });

  test("admin credentials from a Secret, never in values", () => {
    expect(parse(values.extraEnvFrom)).toEqual([{ secretRef: { name: "keycloak-bootstrap-admin" } }]);
    const secret = t.resources("kubernetes_secret_v1").find((s) => s.metadata.name === "keycloak-bootstrap-admin")!;
    expect(secret.data).toEqual({ KC_BOOTSTRAP_ADMIN_USERNAME: "admin", KC_BOOTSTRAP_ADMIN_PASSWORD: "${var.keycloak_admin_password}" });
  });

  test("restricted pod security, metrics scraped by a ServiceMonitor", () => {
    expect(values.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    expect(values.podSecurityContext.seccompProfile).toEqual({ type: "RuntimeDefault" });
    expect(values.serviceMonitor.enabled).toBe(true);
    expect(t.resource("helm_release", { name: "keycloak" }).depends_on).toContain(ref(t, "kube-prometheus-stack"));
  });

  test("only the platform realm's endpoints and the login resources are public: no admin console, no master realm", () => {
    const route = manifests("HTTPRoute").find((r) => r.metadata.name === "keycloak-realms")!;
    const paths = route.spec.rules[0].matches.map((m: any) => `${m.path.type} ${m.path.value}`);
    expect(paths).toEqual(["Exact /realms/kubernetes", "PathPrefix /realms/kubernetes/", "PathPrefix /resources/"]);
    expect(paths.join()).not.toMatch(/admin|master|metrics|health/);
  });

  test("the master realm can never be made public", () => {
    expect(() => publicKeycloakPaths(["kubernetes", "master"])).toThrow("the master realm is never public");
  });

  test("the load balancer checks Keycloak's readiness on the management port", () => {
    const policy = manifests("HealthCheckPolicy").find((p) => p.metadata.name === "keycloak-http")!;
    expect(policy.spec.default.config.httpHealthCheck).toEqual({ port: 9000, requestPath: "/health/ready" });
  });
});

describe("Keycloak's database", () => {
  const values = t.helmValues("keycloak-db");

  test("two instances by default, pinned image, superuser access off", () => {
    expect(values.cluster).toMatchObject({ instances: 2, imageName: "ghcr.io/cloudnative-pg/postgresql:17.6", enableSuperuserAccess: false });
    expect(commons((c) => (c.commons.keycloak.databaseInstances = 3)).helmValues("keycloak-db").cluster.instances).toBe(3);
  });

  test("backed up through the Barman Cloud plugin to its bucket, daily with a six-field cron", () => {
    expect(values.backups).toMatchObject({
      enabled: true,
      method: "plugin",
      provider: "google",
      google: { bucket: "example-platform-example-keycloak-db-backups", gkeEnvironment: true },
      secret: { create: false },
      retentionPolicy: "30d",
    });
    expect(values.backups.scheduledBackups).toEqual([
      expect.objectContaining({ schedule: "0 0 2 * * *", method: "plugin", pluginConfiguration: { name: "barman-cloud.cloudnative-pg.io" } }),
    ]);
    expect(values.backups.scheduledBackups[0].schedule.split(" ")).toHaveLength(6);
  });

  test("Workload Identity: the instances' service account is annotated with a Google SA that may write the bucket", () => {
    const sa = t.resources("google_service_account").find((s) => s.account_id === "example-keycloak-db")!;
    expect(values.cluster.serviceAccountTemplate.metadata.annotations).toEqual({ "iam.gke.io/gcp-service-account": "example-keycloak-db@example-platform.iam.gserviceaccount.com" });
    expect(t.resources("google_service_account_iam_member")).toContainEqual(
      expect.objectContaining({ role: "roles/iam.workloadIdentityUser", member: "serviceAccount:example-platform.svc.id.goog[keycloak/keycloak-db]", service_account_id: `\${google_service_account.${sa.$id}.name}` }),
    );
  });

  test("comes after the operator and the plugin", () => {
    const deps = t.resource("helm_release", { name: "keycloak-db" }).depends_on;
    expect(deps).toEqual(expect.arrayContaining([ref(t, "cloudnative-pg"), ref(t, "plugin-barman-cloud")]));
    expect(t.resource("helm_release", { name: "plugin-barman-cloud" }).depends_on).toEqual(expect.arrayContaining([ref(t, "cloudnative-pg"), ref(t, "cert-manager")]));
    expect(t.resource("helm_release", { name: "plugin-barman-cloud" }).namespace).toBe("cnpg-system");
  });
});

describe("buckets", () => {
  test.each(t.resources("google_storage_bucket").map((b) => [b.name, b]))("%s: private, uniform access, versioned, never destroyed by a plan", (_n, b) => {
    expect(b).toMatchObject({
      uniform_bucket_level_access: true,
      public_access_prevention: "enforced",
      versioning: { enabled: true },
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
      location: "EUROPE-WEST1",
    });
  });
});
