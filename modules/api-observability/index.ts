/**
 * ApiObservability (replacing the predecessor's Vector/VictoriaLogs pipeline): the gateway's metrics are per client
 * (one backend per org) and its refusals are counted by status (be_deny_401/403/429). A Grafana dashboard
 * provisioned by code shows per-client request rate, error rate and latency; PrometheusRules alert on gateway 5xx,
 * bursts of 401/403, clients at their rate limit, and PostgREST down. (The API's logs reach Loki through Alloy, with
 * the org as a label: commons, modules/alloy.)
 */
import { Construct } from "constructs";
import type { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { alertRule as rule, AlertsAndDashboard, dashboard, timeseriesPanel, type AlertRule } from "../alerts-and-dashboard";
import type { PlatformNamespace } from "../platform-namespace";

const ORG = 'proxy=~"be_org_.*"';
const rate = (metric: string, selector: string) => `sum by (proxy) (rate(${metric}{${selector}}[5m]))`;

/** The gateway's alerting rules. */
export function apiAlertRules(namespace: string): AlertRule[] {
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
  const panel = (id: number, title: string, expr: string, unit: string, legend = "{{proxy}}") => timeseriesPanel(id, title, expr, unit, legend);
  return dashboard(`mock-data-api-${namespace}`, "Mock-data API", ["mock-data-api"], [
    panel(1, "Requests per second, per client", rate("haproxy_backend_http_requests_total", ORG), "reqps"),
    panel(2, "5xx per second, per client", rate("haproxy_backend_http_responses_total", `${ORG},code="5xx"`), "reqps"),
    panel(3, "Average response time, per client", `avg by (proxy) (haproxy_backend_response_time_average_seconds{${ORG}})`, "s"),
    panel(4, "Average total time, per client", `avg by (proxy) (haproxy_backend_total_time_average_seconds{${ORG}})`, "s"),
    panel(5, "Refusals per second (401, 403, 429)", rate("haproxy_backend_http_requests_total", 'proxy=~"be_deny_.*"'), "reqps"),
    panel(6, "PostgREST replicas available", `sum(kube_deployment_status_replicas_available{namespace="${namespace}",deployment="postgrest"})`, "short", "available"),
  ]);
}

export interface ApiObservabilityProps {
  readonly provider: KubernetesProvider;
  readonly namespace: PlatformNamespace;
}

export class ApiObservability extends Construct {
  constructor(scope: Construct, id: string, props: ApiObservabilityProps) {
    super(scope, id);
    const ns = props.namespace.name;
    new AlertsAndDashboard(this, "monitoring", { ...props, name: "mock-data-api", rules: apiAlertRules(ns), dashboard: apiDashboard(ns) });
  }
}
