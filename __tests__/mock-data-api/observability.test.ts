/** The API's observability: dashboard and alerts by code, logs to Loki with the org as a label. */
import { apiAlertRules } from "../../modules/api-observability";
import { environment, synthPlatform } from "../support/environments";

const { templates } = synthPlatform(environment());
const t = templates.mockDataApi;

test("PrometheusRules: gateway 5xx, bursts of 401/403, clients at their rate limit, PostgREST down", () => {
  const rules = t.resources("kubernetes_manifest").map((r) => r.manifest).find((m) => m.kind === "PrometheusRule")!;
  expect(rules.spec.groups[0].rules.map((r: any) => r.alert)).toEqual(["ApiGateway5xx", "ApiAuthFailuresBurst", "ApiClientAtRateLimit", "PostgrestDown"]);
});

test("the alerts read the gateway's per-client backends and its refusal backends", () => {
  const byName = Object.fromEntries(apiAlertRules("mock-data-api").map((r) => [r.alert, r.expr]));
  expect(byName.ApiGateway5xx).toContain('proxy=~"be_org_.*",code="5xx"');
  expect(byName.ApiAuthFailuresBurst).toContain('proxy=~"be_deny_40[13]"');
  expect(byName.ApiClientAtRateLimit).toContain('proxy="be_deny_429"');
  expect(byName.PostgrestDown).toContain('deployment="postgrest"');
});

test("a Grafana dashboard provisioned by code: per-client request rate, error rate and latency", () => {
  const cm = t.resources("kubernetes_config_map_v1").find((c) => c.metadata.name === "mock-data-api-dashboard")!;
  expect(cm.metadata.labels).toEqual({ grafana_dashboard: "1" });
  const titles = JSON.parse(cm.data["mock-data-api.json"]).panels.map((p: any) => p.title);
  expect(titles).toEqual(expect.arrayContaining(["Requests per second, per client", "5xx per second, per client", "Average response time, per client"]));
});

test("the gateway's access log reaches Loki with the org as a label (Alloy, commons)", () => {
  const config: string = templates.commons.helmValues("alloy").alloy.configMap.content;
  expect(config).toContain('selector = "{namespace=\\"mock-data-api\\", container=\\"haproxy\\"}"');
  expect(config).toMatch(/stage\.json \{\s*expressions = \{ org = "org" \}/);
  expect(config).toMatch(/stage\.labels \{\s*values = \{ org = "" \}/);
});
