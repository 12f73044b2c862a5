/**
 * PostgREST as typed Kubernetes resources (there is no official chart): a hardened Deployment (non-root, read-only
 * root filesystem, no capability, RuntimeDefault seccomp, probes on the admin port, requests and limits), a Service
 * exposing the API port only, and a PodDisruptionBudget. The database URI (through `authenticator`) and the JWT
 * secret come from a Secret; the admin port is never in a Service and never routed.
 */
import { Construct } from "constructs";
import { Fn } from "cdktf";
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import type { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { ANON, API_SCHEMA, AUTHENTICATOR } from "../../lib/mock-data-api/sql";
import { image, IMAGES } from "../../lib/versions";
import { API_APPS } from "../network-policies";
import type { PlatformNamespace } from "../platform-namespace";

export const POSTGREST_SERVICE = { name: "postgrest", port: 3000 } as const;
const ADMIN_PORT = 3001;

export interface PostgrestProps {
  readonly provider: KubernetesProvider;
  readonly namespace: PlatformNamespace;
  readonly replicas: number;
  /** Database host (the cluster's `-rw` service, fully qualified), port 5432, and database name. */
  readonly databaseHost: string;
  readonly database: string;
  /** authenticator's password and the JWT secret: variable references. */
  readonly authenticatorPassword: string;
  readonly jwtSecret: string;
  readonly audience: string;
  readonly maxRows: number;
  readonly pool: number;
  /** The gateway's public URL (what the OpenAPI document advertises). */
  readonly publicUrl: string;
}

export class Postgrest extends Construct {
  readonly deployment: DeploymentV1;

  constructor(scope: Construct, id: string, props: PostgrestProps) {
    super(scope, id);
    const ns = props.namespace.name;
    const labels = { "app.kubernetes.io/name": API_APPS.postgrest, "app.kubernetes.io/part-of": "mock-data-api" };
    const secretData = {
      PGRST_DB_URI: `postgres://${AUTHENTICATOR}:${Fn.urlencode(props.authenticatorPassword)}@${props.databaseHost}:5432/${props.database}?sslmode=require`,
      PGRST_JWT_SECRET: props.jwtSecret,
    };
    const secret = new SecretV1(this, "secret", {
      provider: props.provider,
      metadata: { name: "postgrest", namespace: ns, labels },
      data: secretData,
      dependsOn: [props.namespace.resource],
    });
    const settings: Record<string, string> = {
      PGRST_DB_SCHEMAS: API_SCHEMA,
      PGRST_DB_ANON_ROLE: ANON,
      PGRST_JWT_AUD: props.audience,
      PGRST_DB_MAX_ROWS: String(props.maxRows),
      PGRST_DB_POOL: String(props.pool),
      PGRST_OPENAPI_SERVER_PROXY_URI: props.publicUrl,
      // The document (public through the gateway, for Swagger UI) describes the whole API, with its JWT security
      // scheme (the "Authorize" field); what a role may really do is still decided by its grants.
      PGRST_OPENAPI_MODE: "ignore-privileges",
      PGRST_OPENAPI_SECURITY_ACTIVE: "true",
      PGRST_SERVER_PORT: String(POSTGREST_SERVICE.port),
      PGRST_ADMIN_SERVER_PORT: String(ADMIN_PORT),
      PGRST_LOG_LEVEL: "error",
    };
    const probe = (path: string, period: number) => ({ httpGet: { path, port: String(ADMIN_PORT) }, periodSeconds: period, timeoutSeconds: 2, failureThreshold: 3 });
    this.deployment = new DeploymentV1(this, "deployment", {
      provider: props.provider,
      metadata: { name: "postgrest", namespace: ns, labels },
      spec: {
        replicas: String(props.replicas),
        selector: { matchLabels: labels },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "0", maxSurge: "1" } },
        template: {
          // A rotated secret (JWT secret, password) rolls the pods: env from a Secret is read at start only.
          metadata: { labels, annotations: { "platform-bootstrap/secret-sha1": Fn.sha1(Fn.join("|", [props.authenticatorPassword, props.jwtSecret])) } },
          spec: {
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: "1000", runAsGroup: "1000", seccompProfile: { type: "RuntimeDefault" } },
            container: [
              {
                name: "postgrest",
                image: image(IMAGES.postgrest),
                port: [
                  { name: "http", containerPort: POSTGREST_SERVICE.port },
                  { name: "admin", containerPort: ADMIN_PORT },
                ],
                env: Object.entries(settings).map(([name, value]) => ({ name, value })),
                envFrom: [{ secretRef: { name: secret.metadata.name } }],
                livenessProbe: probe("/live", 10),
                readinessProbe: probe("/ready", 5),
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } },
                resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } },
              },
            ],
          },
        },
      },
      dependsOn: [props.namespace.resource],
    });
    new ServiceV1(this, "service", {
      provider: props.provider,
      metadata: { name: POSTGREST_SERVICE.name, namespace: ns, labels },
      spec: {
        type: "ClusterIP",
        selector: labels,
        // The API port only: the admin port (health, metrics) is reached by Prometheus on the pods.
        port: [{ name: "http", port: POSTGREST_SERVICE.port, targetPort: "http" }],
      },
      dependsOn: [props.namespace.resource],
    });
    new PodDisruptionBudgetV1(this, "pdb", {
      provider: props.provider,
      metadata: { name: "postgrest", namespace: ns, labels },
      spec: { minAvailable: "1", selector: { matchLabels: labels } },
      dependsOn: [props.namespace.resource],
    });
  }
}
