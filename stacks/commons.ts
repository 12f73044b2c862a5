/**
 * commons: the shared platform services every other in-cluster stack relies on (docs/commons.md).
 * Providers: google, kubernetes, helm.
 *
 * Release order (depends_on only where it is real):
 *   cert-manager ──> kube-prometheus-stack (its CRDs; carries the ClusterIssuers and Certificates, whose CRDs come
 *                    │                    from cert-manager in this same stack)
 *                    ├──> cloudnative-pg ──> plugin-barman-cloud (also after cert-manager) ──> keycloak-db ──> keycloak
 *                    └──> (ServiceMonitors of keycloak, PodMonitors of CloudNativePG)
 *   loki, alloy: no ordering needed (Alloy retries until Loki answers).
 */
import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { publicHostnames } from "../lib/hostnames";
import { realmIssuer } from "../lib/hostnames";
import { Alloy } from "../modules/alloy";
import { acmeClusterIssuers, CertManager, clusterIssuerName } from "../modules/cert-manager";
import { CloudNativePg } from "../modules/cloudnative-pg";
import type { ClusterAccess } from "../modules/cluster-access";
import { Keycloak } from "../modules/keycloak";
import { GRAFANA_SERVICE, Monitoring } from "../modules/kube-prometheus-stack";
import { Loki } from "../modules/loki";
import { PlatformNamespace } from "../modules/platform-namespace";
import { PostgresCluster } from "../modules/postgres-cluster";
import { GATEWAY, GATEWAY_ACCESS_LABEL, GatewayRoute, GkeHealthCheck, SharedGateway } from "../modules/shared-gateway";
import { PlatformStack, type PlatformStackProps } from "./platform-stack";

/** Namespaces of the commons stack. */
export const COMMONS_NAMESPACES = {
  certManager: "cert-manager",
  gateway: GATEWAY.namespace,
  monitoring: "monitoring",
  nodeExporter: "node-exporter",
  logging: "logging",
  cnpg: "cnpg-system",
  keycloak: "keycloak",
} as const;

/** Keycloak client of Grafana in the platform realm (the identity stack defines it). */
export const GRAFANA_OIDC_CLIENT = "grafana";

export class CommonsStack extends PlatformStack {
  readonly cluster: ClusterAccess;

  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, "commons", props);
    const google = this.addGoogleProvider();
    this.cluster = this.addClusterAccess(google);
    const c = this.config;
    const { helm, kubernetes } = this.cluster;
    const env = this.environmentName;
    const hosts = publicHostnames(c);
    const routable = new Set<string>([COMMONS_NAMESPACES.monitoring, COMMONS_NAMESPACES.keycloak]);
    const ns = Object.fromEntries(
      Object.entries(COMMONS_NAMESPACES).map(([key, name]) => [
        key,
        new PlatformNamespace(this, `namespace-${name}`, { name, provider: kubernetes, labels: routable.has(name) ? { ...GATEWAY_ACCESS_LABEL } : {} }),
      ]),
    ) as Record<keyof typeof COMMONS_NAMESPACES, PlatformNamespace>;

    const certManager = new CertManager(this, "cert-manager", { namespace: ns.certManager, helm });

    const gateway = new SharedGateway(this, "gateway", {
      provider: kubernetes,
      namespace: ns.gateway,
      project: c.gcp.project,
      environment: env,
      hostnames: { ...hosts },
      clusterIssuer: clusterIssuerName(c.commons.acme.issuer),
    });

    const loki = new Loki(this, "loki", {
      helm,
      namespace: ns.logging,
      project: c.gcp.project,
      region: c.gcp.region,
      environment: env,
      mode: c.commons.logs.mode,
      retention: c.commons.logs.retention,
      storageClass: c.commons.storageClass,
      storage: c.commons.logs.storage,
    });

    const m = c.commons.monitoring;
    const monitoring = new Monitoring(this, "monitoring", {
      helm,
      kubernetes,
      namespace: ns.monitoring,
      nodeExporterNamespace: ns.nodeExporter,
      storageClass: c.commons.storageClass,
      retention: m.retention,
      retentionSize: m.retentionSize,
      prometheusStorage: m.prometheusStorage,
      alertmanagerStorage: m.alertmanagerStorage,
      grafanaStorage: m.grafanaStorage,
      email: m.alertEmails.length && m.smtp ? { to: m.alertEmails, ...m.smtp } : undefined,
      teams: m.teams,
      grafana: {
        hostname: hosts.grafana,
        oidcIssuer: realmIssuer(c),
        oidcClientId: GRAFANA_OIDC_CLIENT,
        loki: { url: loki.queryUrl, tenant: c.commons.logs.tenant },
      },
      extraManifests: [...acmeClusterIssuers({ email: c.commons.acme.email, gateway: GATEWAY }), ...gateway.certificates()],
      dependsOn: [certManager.chart.release],
    });
    new GatewayRoute(this, "grafana-route", {
      provider: kubernetes,
      namespace: ns.monitoring,
      name: "grafana",
      listener: "grafana",
      hostname: hosts.grafana,
      service: GRAFANA_SERVICE.name,
      port: GRAFANA_SERVICE.port,
    });
    new GkeHealthCheck(this, "grafana-health-check", {
      provider: kubernetes,
      namespace: ns.monitoring,
      service: GRAFANA_SERVICE.name,
      port: 3000,
      path: "/api/health",
    });

    new Alloy(this, "alloy", {
      helm,
      namespace: ns.logging,
      lokiUrl: loki.pushUrl,
      tenant: c.commons.logs.tenant,
      cluster: c.cluster.name,
      apiNamespace: c.mockDataApi.namespace,
    });

    const cnpg = new CloudNativePg(this, "cloudnative-pg", {
      helm,
      namespace: ns.cnpg,
      monitoring: monitoring.chart.release,
      certManager: certManager.chart.release,
    });
    const k = c.commons.keycloak;
    const keycloakDb = new PostgresCluster(this, "keycloak-db", {
      helm,
      namespace: ns.keycloak,
      name: "keycloak-db",
      project: c.gcp.project,
      region: c.gcp.region,
      environment: env,
      instances: k.databaseInstances,
      storage: k.databaseStorage,
      storageClass: c.commons.storageClass,
      database: "keycloak",
      backupRetention: k.backupRetention,
      dependsOn: [cnpg.operator.release, cnpg.barmanCloud.release, monitoring.chart.release],
    });
    new Keycloak(this, "keycloak", {
      helm,
      kubernetes,
      namespace: ns.keycloak,
      hostname: hosts.keycloak,
      publicRealms: [c.identity.realm],
      replicas: k.replicas,
      database: keycloakDb,
      monitoring: monitoring.chart.release,
    });

    new TerraformOutput(this, "gateway_address", {
      value: gateway.address.address,
      description: `Point the DNS A records of ${Object.values(hosts).join(", ")} at this address`,
    });
  }
}
