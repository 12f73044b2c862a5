/**
 * NetworkPolicies of the API (DESIGN §7): the API namespace denies everything by default; each workload is then
 * opened for exactly the traffic it needs. The databases accept connections only from PostgREST, the data loader,
 * pgAdmin, the schema job, each other (replication), the CloudNativePG operator, and Prometheus (metrics).
 */
import { Construct } from "constructs";
import { NetworkPolicyV1, type NetworkPolicyV1Spec } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import type { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import type { PlatformNamespace } from "../platform-namespace";

/** The `app.kubernetes.io/name` of the API's workloads (their pods carry it). */
export const API_APPS = { postgrest: "postgrest", gateway: "api-gateway", loader: "data-loader", pgadmin: "pgadmin4", swagger: "swagger-ui", schema: "api-schema" } as const;

/** Google's load balancer proxies and health checkers (the only clients of a Gateway backend). */
export const GOOGLE_LB_RANGES = ["35.191.0.0/16", "130.211.0.0/22"] as const;

const byName = (name: string) => ({ matchLabels: { "app.kubernetes.io/name": name } });
const inNamespace = (namespace: string) => ({ matchLabels: { "kubernetes.io/metadata.name": namespace } });
const tcp = (port: number) => ({ port: String(port), protocol: "TCP" });

function policy(scope: Construct, id: string, provider: KubernetesProvider, namespace: PlatformNamespace, name: string, spec: NetworkPolicyV1Spec) {
  return new NetworkPolicyV1(scope, id, {
    provider,
    metadata: { name, namespace: namespace.name, labels: { "app.kubernetes.io/managed-by": "platform-bootstrap" } },
    spec,
    dependsOn: [namespace.resource],
  });
}

export interface ApiNetworkPoliciesProps {
  readonly provider: KubernetesProvider;
  readonly namespace: PlatformNamespace;
  /** Namespace of the databases. */
  readonly databaseNamespace: string;
}

export class ApiNetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: ApiNetworkPoliciesProps) {
    super(scope, id);
    const { provider, namespace } = props;
    policy(this, "default-deny", provider, namespace, "default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    policy(this, "dns", provider, namespace, "allow-dns", {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [{ to: [{ namespaceSelector: inNamespace("kube-system"), podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }], ports: [{ port: "53", protocol: "UDP" }, tcp(53)] }],
    });
    // pgAdmin: reached through kubectl port-forward only; out to the databases.
    policy(this, "pgadmin", provider, namespace, API_APPS.pgadmin, {
      podSelector: byName(API_APPS.pgadmin),
      policyTypes: ["Ingress", "Egress"],
      egress: [{ to: [{ namespaceSelector: inNamespace(props.databaseNamespace) }], ports: [tcp(5432)] }],
    });
    // Swagger UI: the static UI, from Google's load balancer only; the browser talks to the API gateway itself.
    policy(this, "swagger-ui", provider, namespace, API_APPS.swagger, {
      podSelector: byName(API_APPS.swagger),
      policyTypes: ["Ingress"],
      ingress: [{ from: GOOGLE_LB_RANGES.map((cidr) => ({ ipBlock: { cidr } })), ports: [tcp(8080)] }],
    });
    policy(this, "postgrest", provider, namespace, API_APPS.postgrest, {
      podSelector: byName(API_APPS.postgrest),
      policyTypes: ["Ingress", "Egress"],
      ingress: [
        // The API port from the gateway only (its pods carry the release name as instance label).
        { from: [{ podSelector: { matchLabels: { "app.kubernetes.io/instance": API_APPS.gateway } } }], ports: [tcp(3000)] },
        // The admin port (health, metrics) from Prometheus only; never routed.
        { from: [{ namespaceSelector: inNamespace("monitoring") }], ports: [tcp(3001)] },
      ],
      egress: [{ to: [{ namespaceSelector: inNamespace(props.databaseNamespace) }], ports: [tcp(5432)] }],
    });
  }
}

export interface GatewayNetworkPolicyProps {
  readonly provider: KubernetesProvider;
  readonly namespace: PlatformNamespace;
  readonly port: number;
  readonly metricsPort: number;
}

/** The gateway: its API port from Google's load balancer only, its metrics port from Prometheus; out to PostgREST. */
export class GatewayNetworkPolicy extends Construct {
  constructor(scope: Construct, id: string, props: GatewayNetworkPolicyProps) {
    super(scope, id);
    const lb = GOOGLE_LB_RANGES.map((cidr) => ({ ipBlock: { cidr } }));
    policy(this, "gateway", props.provider, props.namespace, API_APPS.gateway, {
      podSelector: { matchLabels: { "app.kubernetes.io/instance": API_APPS.gateway } },
      policyTypes: ["Ingress", "Egress"],
      ingress: [
        { from: lb, ports: [tcp(props.port), tcp(props.metricsPort)] },
        { from: [{ namespaceSelector: inNamespace("monitoring") }], ports: [tcp(props.metricsPort)] },
      ],
      egress: [{ to: [{ podSelector: byName(API_APPS.postgrest) }], ports: [tcp(3000)] }],
    });
  }
}

export interface DatabaseNetworkPolicyProps {
  readonly provider: KubernetesProvider;
  readonly namespace: PlatformNamespace;
  readonly clusters: readonly string[];
  /** Namespace of the API workloads allowed to connect. */
  readonly clientNamespace: string;
}

export class DatabaseNetworkPolicy extends Construct {
  constructor(scope: Construct, id: string, props: DatabaseNetworkPolicyProps) {
    super(scope, id);
    const clients = [API_APPS.postgrest, API_APPS.pgadmin].map((name) => ({
      namespaceSelector: inNamespace(props.clientNamespace),
      podSelector: byName(name),
    }));
    policy(this, "databases", props.provider, props.namespace, "postgres-clients", {
      podSelector: { matchExpressions: [{ key: "cnpg.io/cluster", operator: "In", values: [...props.clusters] }] },
      policyTypes: ["Ingress"],
      ingress: [
        // The schema job and the data loader run beside the databases (they use the owner's Secret).
        { from: [...clients, { podSelector: byName(API_APPS.schema) }, { podSelector: byName(API_APPS.loader) }], ports: [tcp(5432)] },
        // Instances of the same clusters (streaming replication, and the operator's instance manager).
        { from: [{ podSelector: { matchExpressions: [{ key: "cnpg.io/cluster", operator: "In", values: [...props.clusters] }] } }] },
        { from: [{ namespaceSelector: inNamespace("cnpg-system") }], ports: [tcp(8000), tcp(5432)] },
        { from: [{ namespaceSelector: inNamespace("monitoring") }], ports: [tcp(9187)] },
      ],
    });
  }
}
