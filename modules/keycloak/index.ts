/**
 * Keycloak (keycloakx chart, the official image) in production mode (`kc.sh start`) on its CloudNativePG
 * database. Behind the Gateway: X-Forwarded-* headers, hostname from config. Admin bootstrap credentials come from
 * a Secret; health and metrics stay on the management port (9000), scraped by a ServiceMonitor and never routed.
 * Only the realm endpoints of the platform's realm (and the static resources of its login pages) are public: not
 * the admin console, not the master realm.
 */
import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import type { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import type { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { stringify } from "yaml";
import { CHARTS, IMAGES } from "../../lib/versions";
import { HelmChart } from "../helm-chart";
import { KubernetesSecret } from "../kubernetes-secret";
import type { PlatformNamespace } from "../platform-namespace";
import type { PostgresCluster } from "../postgres-cluster";
import { SecretVariable } from "../secret-variable";
import { GatewayRoute, GkeHealthCheck } from "../shared-gateway";

export const KEYCLOAK_SERVICE = { name: "keycloak-http", port: 80 } as const;
const MANAGEMENT_PORT = 9000;

export interface KeycloakProps {
  readonly helm: HelmProvider;
  readonly kubernetes: KubernetesProvider;
  readonly namespace: PlatformNamespace;
  readonly hostname: string;
  /** Realms whose endpoints are public (never `master`). */
  readonly publicRealms: readonly string[];
  readonly replicas: number;
  readonly database: PostgresCluster;
  /** The kube-prometheus-stack release (ServiceMonitor CRD). */
  readonly monitoring: ITerraformDependable;
}

/** The paths of Keycloak the Gateway routes: realm endpoints of the public realms and the login pages' resources. */
export function publicKeycloakPaths(realms: readonly string[]): { exact: string[]; prefixes: string[] } {
  if (realms.includes("master")) throw new Error("Keycloak: the master realm is never public");
  return { exact: realms.map((r) => `/realms/${r}`), prefixes: [...realms.map((r) => `/realms/${r}/`), "/resources/"] };
}

export class Keycloak extends Construct {
  readonly chart: HelmChart;

  constructor(scope: Construct, id: string, props: KeycloakProps) {
    super(scope, id);
    const admin = new SecretVariable(this, "keycloak_admin_password", {
      description: "Password of Keycloak's bootstrap admin (master realm), used by the realm configuration job",
    });
    const bootstrap = new KubernetesSecret(this, "bootstrap-admin", {
      provider: props.kubernetes,
      namespace: props.namespace,
      name: "keycloak-bootstrap-admin",
      data: { KC_BOOTSTRAP_ADMIN_USERNAME: "admin", KC_BOOTSTRAP_ADMIN_PASSWORD: admin.value },
    });

    this.chart = new HelmChart(this, "keycloak", {
      chart: CHARTS.keycloakx,
      namespace: props.namespace,
      provider: props.helm,
      dependsOn: [bootstrap.resource, props.database.chart.release, props.monitoring],
      values: {
        fullnameOverride: "keycloak",
        replicas: props.replicas,
        image: { repository: IMAGES.keycloak.repository, tag: IMAGES.keycloak.tag },
        // Production mode; the stock image builds its optimized configuration at start.
        command: ["/opt/keycloak/bin/kc.sh", "start", "--http-port=8080"],
        http: { relativePath: "/" },
        // GKE's load balancer sends X-Forwarded-For and X-Forwarded-Proto.
        proxy: { enabled: true, mode: "xforwarded", http: { enabled: true } },
        database: {
          vendor: "postgres",
          hostname: props.database.primaryHost,
          port: 5432,
          database: "keycloak",
          username: "keycloak",
          existingSecret: props.database.appSecret,
          existingSecretKey: "password",
        },
        extraEnv: stringify([
          { name: "KC_HOSTNAME", value: `https://${props.hostname}` },
          { name: "KC_LOG_LEVEL", value: "INFO" },
          { name: "JAVA_OPTS_APPEND", value: "-XX:MaxRAMPercentage=50.0" },
        ]),
        extraEnvFrom: stringify([{ secretRef: { name: bootstrap.name } }]),
        metrics: { enabled: true },
        health: { enabled: true },
        serviceMonitor: { enabled: true },
        // Restricted Pod Security: the fields below are Kubernetes' own; the chart passes these maps through as
        // they are (its defaults only set runAsUser/runAsNonRoot and fsGroup).
        podSecurityContext: { fsGroup: 1000, runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
        securityContext: {
          runAsUser: 1000,
          runAsNonRoot: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ["ALL"] },
        },
        resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { memory: "2Gi" } },
      },
    });

    const paths = publicKeycloakPaths(props.publicRealms);
    new GatewayRoute(this, "route", {
      provider: props.kubernetes,
      namespace: props.namespace,
      name: "keycloak-realms",
      listener: "keycloak",
      hostname: props.hostname,
      service: KEYCLOAK_SERVICE.name,
      port: KEYCLOAK_SERVICE.port,
      exactPaths: paths.exact,
      pathPrefixes: paths.prefixes,
    });
    new GkeHealthCheck(this, "health-check", {
      provider: props.kubernetes,
      namespace: props.namespace,
      service: KEYCLOAK_SERVICE.name,
      port: MANAGEMENT_PORT,
      path: "/health/ready",
    });
  }
}
