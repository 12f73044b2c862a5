/** The gateway as deployed: the haproxy chart's values, the backend tokens, the route and the policies. */
import { environment, synthPlatform } from "../support/environments";

const t = synthPlatform(environment()).templates.mockDataApi;
const values = t.helmValues("api-gateway");

test("a pinned LTS image of the pinned chart, the generated configuration, maps and public keys as includes", () => {
  expect(t.resource("helm_release", { name: "api-gateway" })).toMatchObject({ chart: "haproxy", version: "1.29.0" });
  expect(values.image).toEqual({ repository: "docker.io/haproxytech/haproxy-alpine", tag: "3.4.2" });
  expect(values.config).toContain('jwt_verify("RS256",txn.keyfile)');
  expect(values.config).not.toMatch(/jwt_verify\([^"]/);
  expect(values.config).toContain("server postgrest postgrest.mock-data-api.svc.cluster.local:3000");
  expect(Object.keys(values.includes).sort()).toEqual(expect.arrayContaining(["jwt-keys.map", "limits.map", "orgs.map"]));
  expect(Object.keys(values.includes).some((k: string) => k.endsWith(".pem"))).toBe(true);
  expect(values.includes["orgs.map"]).toContain("acme be_org_acme\nglobex be_org_globex");
  expect(values.config).not.toContain("{{");
});

test("backend tokens come from a Secret made from the sensitive map, one environment variable per org", () => {
  expect(values.extraEnvFrom).toEqual([{ secretRef: { name: "api-gateway-backend-tokens" } }]);
  const secret = t.resources("kubernetes_secret_v1").find((s) => s.metadata.name === "api-gateway-backend-tokens")!;
  expect(secret.data).toEqual({
    // An org missing from the map fails the plan ("does not have an element with the key").
    BACKEND_TOKEN_ACME: "${var.gateway_backend_tokens.acme}",
    BACKEND_TOKEN_GLOBEX: "${var.gateway_backend_tokens.globex}",
  });
  expect(t.variables().gateway_backend_tokens).toMatchObject({ type: "map(string)", sensitive: true });
  expect(JSON.stringify(values)).not.toMatch(/eyJ/); // no token literal in values
});

test("rolls out on any change of configuration, keys or tokens", () => {
  expect(values.checksumConfigMap).toEqual({ enabled: true });
  expect(values.podAnnotations["platform-bootstrap/backend-tokens-sha1"]).toBe("${sha1(jsonencode(var.gateway_backend_tokens))}");
});

test("hardened pod, metrics on their own port with a ServiceMonitor", () => {
  expect(values.securityContext).toMatchObject({ enabled: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
  expect(values.podSecurityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
  expect(values.containerPorts).toEqual({ http: 8080, https: null, stat: 8405 });
  expect(values.serviceMonitor).toMatchObject({ enabled: true, endpoints: [expect.objectContaining({ port: "stat", path: "/metrics" })] });
});

test("public through the shared Gateway on api.<domain>, port 8080 only; the metrics port is not routed", () => {
  const route = t.resources("kubernetes_manifest").map((r) => r.manifest).find((m) => m.kind === "HTTPRoute")!;
  expect(route.spec.hostnames).toEqual(["api.platform.example.com"]);
  expect(route.spec.rules[0].backendRefs).toEqual([{ name: "api-gateway-haproxy", port: 8080 }]);
});

test("the gateway's NetworkPolicy admits Google's load balancer and Prometheus, and lets it reach PostgREST only", () => {
  const p = t.resources("kubernetes_network_policy_v1").find((n) => n.metadata.name === "api-gateway")!.spec;
  expect(p.ingress[0].from.map((f: any) => f.ip_block.cidr)).toEqual(["35.191.0.0/16", "130.211.0.0/22"]);
  expect(p.egress).toEqual([{ to: [{ pod_selector: { match_labels: { "app.kubernetes.io/name": "postgrest" } } }], ports: [{ port: "3000", protocol: "TCP" }] }]);
});
