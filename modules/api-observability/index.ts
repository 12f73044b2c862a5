/**
 * ApiObservability (replacing the predecessor's Vector/VictoriaLogs pipeline): the gateway's metrics are per client
 * (one backend per org) and its refusals are counted by status (be_deny_401/403/429). A Grafana dashboard
 * provisioned by code shows per-client request rate, error rate and latency; PrometheusRules alert on gateway 5xx,
 * bursts of 401/403, clients at their rate limit, and PostgREST down. (The API's logs reach Loki through Alloy, with
 * the org as a label: commons, modules/alloy.)
 */
import { Construct } from "constructs";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import type { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import type { AlertRule } from "../cnpg-monitoring";
import type { PlatformNamespace } from "../platform-namespace";

const ORG = 'proxy=~"be_org_.*"';
const rate = (metric: string, selector: string) => `sum by (proxy) (rate(${metric}{${selector}}[5m]))`;

/** The gateway's alerting rules. */
export function apiAlertRules(namespace: string): AlertRule[] {
  const rule = (alert: string, expr: string, forTime: string, severity: "critical" | "warning", summary: string, description: string): AlertRule => ({
    alert,
    expr,
    for: forTime,
    labels: { severity },
    annotations: { summary, description },
  });
  return [
    rule(
      "ApiGateway5xx",
      `sum(rate(haproxy_backend_http_responses_total{${ORG},code="5xx"}[5m])) / sum(rate(haproxy_backend_http_requests_total{${ORG}}[5m])) > 0.05`,
      "5m",
      "critical",
      "More than 5% of API requests fail with 5xx",
      "PostgREST or the database answers with errors: see the mock-data API dashboard and the gateway's logs.",
    ),
    rule(
      "ApiAuthFailuresBurst",
      `sum(rate(haproxy_backend_http_requests_total{proxy=~"be_deny_40[13]"}[5m])) > 1`,
      "10m",
      "warning",
      "A burst of refused tokens (401) or unknown orgs (403) at the API gateway",
      'Expired tokens of a client, a key rotation gone wrong, or someone probing: the reason is in the logs ({namespace="' + namespace + '", container="haproxy"} | json | reason != "ok").',
    ),
    rule(
      "ApiClientAtRateLimit",
      `sum(rate(haproxy_backend_http_requests_total{proxy="be_deny_429"}[5m])) > 0`,
      "15m",
      "warning",
      "A client keeps hitting its rate limit",
      "Raise its mockDataApi.clients[].rateLimit or talk to the client; its org is in the logs (reason=rate_limited).",
    ),
    rule(
      "PostgrestDown",
      `sum(kube_deployment_status_replicas_available{namespace="${namespace}",deployment="postgrest"}) < 1 or absent(kube_deployment_status_replicas_available{namespace="${namespace}",deployment="postgrest"})`,
      "2m",
      "critical",
      "No PostgREST replica is available: the API answers 503",
      `kubectl -n ${namespace} get pods -l app.kubernetes.io/name=postgrest`,
    ),
  ];
}

/** The Grafana dashboard of the API. */
export function apiDashboard(namespace: string): object {
  const panel = (id: number, title: string, expr: string, unit: string, x: number, y: number, legend = "{{proxy}}") => ({
    id,
    title,
    type: "timeseries",
    datasource: { type: "prometheus", uid: "prometheus" },
    gridPos: { h: 8, w: 12, x, y },
    fieldConfig: { defaults: { unit }, overrides: [] },
    targets: [{ refId: "A", expr, legendFormat: legend }],
  });
  return {
    uid: `mock-data-api-${namespace}`,
    title: "Mock-data API",
    tags: ["mock-data-api", "platform-bootstrap"],
    timezone: "browser",
    schemaVersion: 39,
    refresh: "1m",
    time: { from: "now-6h", to: "now" },
    panels: [
      panel(1, "Requests per second, per client", rate("haproxy_backend_http_requests_total", ORG), "reqps", 0, 0),
      panel(2, "5xx per second, per client", rate("haproxy_backend_http_responses_total", `${ORG},code="5xx"`), "reqps", 12, 0),
      panel(3, "Average response time, per client", `avg by (proxy) (haproxy_backend_response_time_average_seconds{${ORG}})`, "s", 0, 8),
      panel(4, "Average total time, per client", `avg by (proxy) (haproxy_backend_total_time_average_seconds{${ORG}})`, "s", 12, 8),
      panel(5, "Refusals per second (401, 403, 429)", rate("haproxy_backend_http_requests_total", 'proxy=~"be_deny_.*"'), "reqps", 0, 16),
      panel(6, "PostgREST replicas available", `sum(kube_deployment_status_replicas_available{namespace="${namespace}",deployment="postgrest"})`, "short", 12, 16, "available"),
    ],
  };
}

export interface ApiObservabilityProps {
  readonly provider: KubernetesProvider;
  readonly namespace: PlatformNamespace;
}

export class ApiObservability extends Construct {
  constructor(scope: Construct, id: string, props: ApiObservabilityProps) {
    super(scope, id);
    const ns = props.namespace.name;
    new Manifest(this, "rules", {
      provider: props.provider,
      manifest: {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PrometheusRule",
        metadata: { name: "mock-data-api", namespace: ns },
        spec: { groups: [{ name: "mock-data-api", rules: apiAlertRules(ns) }] },
      },
      dependsOn: [props.namespace.resource],
    });
    new ConfigMapV1(this, "dashboard", {
      provider: props.provider,
      metadata: { name: "mock-data-api-dashboard", namespace: ns, labels: { grafana_dashboard: "1" } },
      data: { "mock-data-api.json": JSON.stringify(apiDashboard(ns)) },
      dependsOn: [props.namespace.resource],
    });
  }
}
