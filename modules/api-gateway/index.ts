/**
 * ApiGateway: the API's only public entrance (DESIGN §7): HAProxy (haproxytech chart, an LTS image, pinned) running
 * the configuration of lib/gateway/haproxy.ts, its maps and public keys mounted from the chart's includes, each
 * org's backend token from a Secret made from the sensitive variable `gateway_backend_tokens`. A change of config,
 * maps or keys rolls the pods (the chart's checksum), and so does a change of the tokens (our annotation). Public
 * through the shared Gateway at `api.<domain>`; metrics on a separate port, scraped by a ServiceMonitor, never routed.
 */
import { Construct } from "constructs";
import { Fn } from "cdktf";
import type { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import type { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { ConfigError, type Environment } from "../../lib/config";
import { publicKeys } from "../../lib/gateway/public-keys";
import { gatewayBundle, gatewayClients } from "../../lib/gateway/bundle";
import { backendTokenEnv } from "../../lib/gateway/haproxy";
import { CHARTS, IMAGES } from "../../lib/versions";
import { HelmChart } from "../helm-chart";
import { API_APPS, GatewayNetworkPolicy } from "../network-policies";
import type { PlatformNamespace } from "../platform-namespace";
import { POSTGREST_SERVICE } from "../postgrest";
import { SecretVariable } from "../secret-variable";
import { GatewayRoute, GkeHealthCheck } from "../shared-gateway";

export const GATEWAY_PORTS = { http: 8080, metrics: 8405 } as const;
const INCLUDES = "/usr/local/etc/haproxy-includes";
/** The Service the chart makes: `<release>-haproxy`. */
export const GATEWAY_SERVICE = `${API_APPS.gateway}-haproxy`;

export interface ApiGatewayProps {
  readonly helm: HelmProvider;
  readonly kubernetes: KubernetesProvider;
  readonly namespace: PlatformNamespace;
  readonly environment: Environment;
  /** Project root (the public keys are under config/gateway-keys/<env>). */
  readonly root: string;
  readonly hostname: string;
  /** The kube-prometheus-stack CRDs exist (commons): the chart renders its ServiceMonitor. */
}

export class ApiGateway extends Construct {
  readonly chart: HelmChart;

  constructor(scope: Construct, id: string, props: ApiGatewayProps) {
    super(scope, id);
    const ns = props.namespace.name;
    if (publicKeys(props.root, props.environment.name).length === 0) {
      throw new ConfigError([
        `config/gateway-keys/${props.environment.name}: no public key, expected at least one for the API gateway (npm run keys -- rotate --env ${props.environment.name})`,
      ]);
    }
    const files = gatewayBundle(props.root, props.environment, {
      filesDir: INCLUDES,
      bind: `*:${GATEWAY_PORTS.http}`,
      metricsBind: `*:${GATEWAY_PORTS.metrics}`,
      upstream: `${POSTGREST_SERVICE.name}.${ns}.svc.cluster.local:${POSTGREST_SERVICE.port}`,
    });
    const { "haproxy.cfg": config, ...includes } = files;

    const tokens = new SecretVariable(this, "gateway_backend_tokens", {
      description: "Backend token (HS256, signed with postgrest_jwt_secret) of each client org, by org: npm run keys -- backend-tokens",
      type: "map(string)",
    });
    const orgs = gatewayClients(props.environment).map((c) => c.org);
    const secret = new SecretV1(this, "backend-tokens", {
      provider: props.kubernetes,
      metadata: { name: "api-gateway-backend-tokens", namespace: ns },
      // lookup() without a default: a missing org fails the plan instead of starting a gateway without its token.
      data: Object.fromEntries(orgs.map((org) => [backendTokenEnv(org), Fn.lookup(tokens.variable.value, org)])),
      dependsOn: [props.namespace.resource],
    });

    const probe = { httpGet: { path: "/healthz", port: "stat" }, periodSeconds: 10, timeoutSeconds: 2 };
    this.chart = new HelmChart(this, API_APPS.gateway, {
      chart: CHARTS.haproxy,
      namespace: props.namespace,
      provider: props.helm,
      dependsOn: [secret],
      values: {
        image: { repository: IMAGES.haproxy.repository, tag: IMAGES.haproxy.tag },
        replicaCount: props.environment.config.mockDataApi.gateway.replicas,
        config,
        includes,
        includesMountPath: INCLUDES,
        checksumConfigMap: { enabled: true },
        extraEnvFrom: [{ secretRef: { name: "api-gateway-backend-tokens" } }],
        // Tokens are read at start: a new token set rolls the pods.
        podAnnotations: { "platform-bootstrap/backend-tokens-sha1": Fn.sha1(Fn.jsonencode(tokens.variable.value)) },
        containerPorts: { http: GATEWAY_PORTS.http, https: null, stat: GATEWAY_PORTS.metrics },
        serviceAccount: { automountServiceAccountToken: false },
        podSecurityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } },
        securityContext: { enabled: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
        livenessProbe: probe,
        readinessProbe: probe,
        // `resources.limits` is documented by the chart (commented out in its values.yaml).
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
        serviceMonitor: { enabled: true, endpoints: [{ port: "stat", path: "/metrics", scheme: "http", interval: "30s" }] },
      },
    });
    new PodDisruptionBudgetV1(this, "pdb", {
      provider: props.kubernetes,
      metadata: { name: API_APPS.gateway, namespace: ns },
      spec: { minAvailable: "1", selector: { matchLabels: { "app.kubernetes.io/instance": API_APPS.gateway } } },
      dependsOn: [props.namespace.resource],
    });
    new GatewayNetworkPolicy(this, "network-policy", { provider: props.kubernetes, namespace: props.namespace, port: GATEWAY_PORTS.http, metricsPort: GATEWAY_PORTS.metrics });
    new GatewayRoute(this, "route", {
      provider: props.kubernetes,
      namespace: props.namespace,
      name: API_APPS.gateway,
      listener: "api",
      hostname: props.hostname,
      service: GATEWAY_SERVICE,
      port: GATEWAY_PORTS.http,
    });
    new GkeHealthCheck(this, "health-check", { provider: props.kubernetes, namespace: props.namespace, service: GATEWAY_SERVICE, port: GATEWAY_PORTS.metrics, path: "/healthz" });
  }
}
