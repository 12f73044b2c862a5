/**
 * The HAProxy configuration of the API gateway (DESIGN §7), generated from config. What it enforces, in order:
 * body size; exactly one bearer token; signature with RS256 pinned as a literal (never the token's own `alg`), the
 * key chosen by `kid` among the configured public keys; `exp` required and in the future, `nbf` and `iat` not in
 * the future, `iss`, `aud` (string or array), a maximum lifetime; `org` routed through a map file, exact match
 * (unknown or missing → 403); a per-org rate limit (429 + Retry-After); then the client's Authorization replaced by
 * that org's backend token, from the environment (a Kubernetes Secret), never from this file.
 *
 * Written for HAProxy 2.6 and later (Debian's 2.6 runs the integration tests; the image is a 3.x LTS): every string
 * in the JSON access log goes through json(utf8s); jwt_verify's key file also appears literally in a never-executed
 * rule, as HAProxy loads key files only from literal arguments.
 */
import { durationSeconds } from "../config";

export interface GatewayClient {
  readonly org: string;
  /** Requests per window. */
  readonly limit: number;
}

export interface GatewayKey {
  readonly kid: string;
  /** Path of the PEM public key as HAProxy sees it. */
  readonly path: string;
}

export interface HaproxyConfigProps {
  readonly clients: readonly GatewayClient[];
  readonly keys: readonly GatewayKey[];
  readonly issuer: string;
  readonly audience: string;
  readonly maxLifetime: string;
  readonly rateWindow: string;
  readonly maxBodyBytes: number;
  /** `host:port` of the public listener, of the metrics listener, and of the upstream (PostgREST). */
  readonly bind: string;
  readonly metricsBind: string;
  readonly upstream: string;
  /** Where the map files are (a directory). */
  readonly mapDir: string;
  /**
   * The browser origin of Swagger UI: CORS preflights from it are answered here, and the OpenAPI document
   * (`GET /`) is public (to PostgREST's anonymous role, rate-limited per client address). None when omitted.
   */
  readonly swaggerOrigin?: string;
}

/** Seconds of clock skew tolerated on exp, nbf and iat. */
export const CLOCK_SKEW = 30;

/** Backend name of an org. */
export const orgBackend = (org: string) => `be_org_${org.replace(/-/g, "_")}`;
/** The environment variable holding an org's backend token. */
export const backendTokenEnv = (org: string) => `BACKEND_TOKEN_${org.replace(/-/g, "_").toUpperCase()}`;

const ORG = /^[a-z][a-z0-9-]{0,38}[a-z0-9]?$/;
const KID = /^[A-Za-z0-9_-]{1,64}$/;

function assertSafe(props: HaproxyConfigProps): void {
  for (const c of props.clients) if (!ORG.test(c.org)) throw new Error(`gateway: org "${c.org}" is not a lowercase name`);
  for (const k of props.keys) {
    if (!KID.test(k.kid)) throw new Error(`gateway: kid "${k.kid}" must be letters, digits, _ or -`);
    if (!/^[A-Za-z0-9_./-]+$/.test(k.path)) throw new Error(`gateway: key path "${k.path}" has characters HAProxy would misread`);
  }
  if (props.keys.length === 0) throw new Error("gateway: no public key configured (npm run keys -- rotate --env <env>)");
  if (props.swaggerOrigin !== undefined && !/^https:\/\/[a-z0-9.-]+$/.test(props.swaggerOrigin)) throw new Error(`gateway: origin "${props.swaggerOrigin}" is not https://<host>`);
  for (const text of [props.issuer, props.audience]) if (/[\s'"{}\\]/.test(text)) throw new Error(`gateway: "${text}" has characters not allowed in a claim check`);
}

export const mapFiles = (props: Pick<HaproxyConfigProps, "clients" | "keys">) => ({
  "orgs.map": `# org (exact, case-sensitive) -> backend\n${props.clients.map((c) => `${c.org} ${orgBackend(c.org)}`).join("\n")}\n`,
  "limits.map": `# org -> requests per window\n${props.clients.map((c) => `${c.org} ${c.limit}`).join("\n")}\n`,
  "jwt-keys.map": `# kid -> public key file\n${props.keys.map((k) => `${k.kid} ${k.path}`).join("\n")}\n`,
});

export function haproxyConfig(props: HaproxyConfigProps): string {
  assertSafe(props);
  const window = Math.max(1, Math.round(durationSeconds(props.rateWindow)));
  const maxLifetime = Math.round(durationSeconds(props.maxLifetime));
  const map = (name: string) => `${props.mapDir.replace(/\/$/, "")}/${name}`;
  const defaultLimit = Math.min(...props.clients.map((c) => c.limit), 1_000_000);
  const audience = [`'$.aud'`, ...[0, 1, 2, 3].map((i) => `'$.aud[${i}]'`)]
    .map((q) => `  acl aud_ok var(txn.bearer),jwt_payload_query(${q}) -m str ${props.audience}`)
    .join("\n");
  /** A refusal: reason and status set once (the first refusal wins), never for the public document. */
  const deny = (code: string, reason: string, alternatives: string[][]) => {
    const cond = alternatives.map((alt) => [...alt, "!public", "!denied"].join(" ")).join(" || ");
    // The reason is set first; the condition still holds for the second line (txn.deny is not set yet).
    return [`  http-request set-var(txn.reason) str(${reason}) if ${cond}`, `  http-request set-var(txn.deny) str(${code}) if ${cond}`];
  };
  const lines = [
    "# Generated by platform-bootstrap (lib/gateway/haproxy.ts). Do not edit: change config/<env>.yaml.",
    ...props.clients.flatMap((c) => [`.if !defined(${backendTokenEnv(c.org)})`, `  .alert "environment variable ${backendTokenEnv(c.org)} is not set"`, ".endif"]),
    "",
    "global",
    "  log stdout format raw local0",
    "  maxconn 4096",
    "  tune.bufsize 32768",
    "",
    "defaults",
    "  mode http",
    "  log global",
    "  option dontlognull",
    "  timeout connect 5s",
    "  timeout client 30s",
    "  timeout server 30s",
    "  timeout http-request 10s",
    "  timeout http-keep-alive 10s",
    "  timeout queue 10s",
    "",
    "# Per-org request counter: only accepted requests count, so a client that waits Retry-After gets back in.",
    "backend st_org_rate",
    `  stick-table type string len 64 size 100k expire ${window * 6}s store gpc0_rate(${window}s)`,
    "",
    "frontend fe_api",
    `  bind ${props.bind}`,
    "  option http-buffer-request",
    // JSON access log: every string escaped; never the Authorization header, never the query string.
    `  log-format '{"ts":%Ts,"client":"%ci","method":"%HM","path":"%[var(txn.path),json(utf8s)]","status":%ST,"bytes":%B,"time_ms":%Ta,"backend":"%b","org":"%[var(txn.org),json(utf8s)]","kid":"%[var(txn.kid),json(utf8s)]","reason":"%[var(txn.reason)]"}'`,
    "  http-request set-var(txn.path) path",
    "  http-request set-var(txn.now) date()",
    "",
    "  acl several_auth req.hdr_cnt(authorization) gt 1",
    "  acl public var(txn.public) -m bool",
    "  # Request size.",
    `  acl too_large req.body_size gt ${props.maxBodyBytes}`,
    `  acl too_large req.hdr_val(content-length) gt ${props.maxBodyBytes}`,
    "  http-request set-var(txn.reason) str(too_large) if too_large",
    `  http-request return status 413 content-type application/json string '{"error":"payload_too_large"}' if too_large`,
    "",
    ...(props.swaggerOrigin
      ? [
          "  # Swagger UI: CORS preflights answered here (browsers send no token with them), CORS headers on answers,",
          "  # and the OpenAPI document (GET /, nothing else) public, rate-limited per client address.",
          `  acl from_swagger req.hdr(origin) -m str ${props.swaggerOrigin}`,
          `  http-request return status 204 hdr Access-Control-Allow-Origin ${props.swaggerOrigin} hdr Access-Control-Allow-Methods "GET, POST, PATCH, PUT, DELETE, OPTIONS" hdr Access-Control-Allow-Headers "Authorization, Content-Type, Prefer, Range, Accept, Accept-Profile, Content-Profile" hdr Access-Control-Max-Age 600 hdr Vary Origin if METH_OPTIONS from_swagger`,
          "  http-request set-var(txn.cors) bool(1) if from_swagger",
          `  http-response set-header Access-Control-Allow-Origin ${props.swaggerOrigin} if { var(txn.cors) -m bool }`,
          "  http-response add-header Vary Origin if { var(txn.cors) -m bool }",
          "  acl openapi path /",
          "  http-request set-var(txn.public) bool(1) if openapi METH_GET !several_auth",
          "  http-request track-sc1 src table st_src_rate if { var(txn.public) -m bool }",
          `  http-request return status 429 content-type application/json string '{"error":"rate_limited"}' hdr Retry-After ${window} if { var(txn.public) -m bool } { sc_http_req_rate(1) gt 60 }`,
          "  http-request set-var(txn.reason) str(openapi) if { var(txn.public) -m bool }",
          "  http-request del-header Authorization if { var(txn.public) -m bool }",
          "",
        ]
      : []),
    "  # Exactly one bearer token.",
    "  http-request set-var(txn.reason) str(several_authorization_headers) if several_auth",
    `  http-request return status 400 content-type application/json string '{"error":"invalid_request","error_description":"one Authorization header"}' hdr WWW-Authenticate 'Bearer realm="mock-data-api", error="invalid_request"' if several_auth`,
    "  http-request set-var(txn.bearer) http_auth_bearer",
    "  acl has_bearer var(txn.bearer) -m found",
    "  # Every refusal below sets txn.deny (the first one wins) and is answered by a be_deny_<code> backend, so that",
    "  # the metrics count refusals by status: bursts of 401/403 and clients at their limit are alertable.",
    "  acl denied var(txn.deny) -m found",
    ...deny("401", "no_token", [["!has_bearer"]]),
    "",
    "  # Signature: RS256 as a literal; the key file chosen by kid. Each key file also appears literally once",
    "  # (in a rule that never runs) because HAProxy loads key files only from literal arguments.",
    ...props.keys.map((k) => `  http-request set-var(txn.preload) str(),jwt_verify("RS256","${k.path}") if FALSE`),
    "  http-request set-var(txn.kid) var(txn.bearer),jwt_header_query('$.kid')",
    `  http-request set-var(txn.keyfile) var(txn.kid),map_str(${map("jwt-keys.map")})`,
    `  http-request set-var(txn.sig) var(txn.bearer),jwt_verify("RS256",txn.keyfile) if { var(txn.keyfile) -m found }`,
    "  acl sig_ok var(txn.sig) -m int 1",
    "  acl alg_ok var(txn.bearer),jwt_header_query('$.alg') -m str RS256",
    "",
    "  # Claims. A missing claim fails its fetch: required claims are checked positively.",
    "  http-request set-var(txn.exp) var(txn.bearer),jwt_payload_query('$.exp','int')",
    "  http-request set-var(txn.nbf) var(txn.bearer),jwt_payload_query('$.nbf','int')",
    "  http-request set-var(txn.iat) var(txn.bearer),jwt_payload_query('$.iat','int')",
    "  http-request set-var(txn.org) var(txn.bearer),jwt_payload_query('$.org')",
    `  acl exp_ok var(txn.exp),add(${CLOCK_SKEW}),sub(txn.now) gt 0`,
    `  acl nbf_bad var(txn.nbf),sub(txn.now) gt ${CLOCK_SKEW}`,
    `  acl iat_bad var(txn.iat),sub(txn.now) gt ${CLOCK_SKEW}`,
    `  acl ttl_bad var(txn.exp),sub(txn.now) gt ${maxLifetime}`,
    `  acl life_bad var(txn.exp),sub(txn.iat) gt ${maxLifetime}`,
    `  acl iss_ok var(txn.bearer),jwt_payload_query('$.iss') -m str ${props.issuer}`,
    audience,
    "  acl org_found var(txn.org) -m found",
    ...deny("401", "signature", [["!sig_ok"], ["!alg_ok"]]),
    ...deny("401", "expired_or_no_exp", [["!exp_ok"]]),
    ...deny("401", "not_yet_valid", [["nbf_bad"], ["iat_bad"]]),
    ...deny("401", "lifetime_over_maximum", [["ttl_bad"], ["life_bad"]]),
    ...deny("401", "issuer_or_audience", [["!iss_ok"], ["!aud_ok"]]),
    "",
    "  # org -> backend, exact match; unknown or missing org -> 403.",
    `  http-request set-var(txn.backend) var(txn.org),map_str(${map("orgs.map")}) if org_found`,
    "  acl has_backend var(txn.backend) -m found",
    ...deny("403", "unknown_org", [["!has_backend"]]),
    "",
    "  # Rate limit per org (accepted requests only are counted).",
    "  http-request track-sc0 var(txn.org) table st_org_rate unless public || denied",
    `  http-request set-var(txn.limit) var(txn.org),map_str_int(${map("limits.map")},${defaultLimit})`,
    "  acl over_limit sc_gpc0_rate(0),sub(txn.limit) ge 0",
    "  acl tracked sc0_tracked",
    ...deny("429", "rate_limited", [["tracked", "over_limit"]]),
    "  http-request sc-inc-gpc0(0) if tracked !denied",
    "  http-request set-var(txn.reason) str(ok) unless public || denied",
    "  use_backend be_deny_%[var(txn.deny)] if denied",
    ...(props.swaggerOrigin ? ["  use_backend be_openapi if public"] : []),
    "  use_backend %[var(txn.backend)]",
    "  default_backend be_reject",
    "",
    ...(props.swaggerOrigin
      ? [
          "# Per-client-address counter of the public OpenAPI document.",
          "backend st_src_rate",
          `  stick-table type ip size 100k expire ${window * 6}s store http_req_rate(${window}s)`,
          "",
          "# The OpenAPI document, as PostgREST's anonymous role (no token).",
          "backend be_openapi",
          `  server postgrest ${props.upstream}`,
          "",
        ]
      : []),
    "# Refusals, one backend per status (counted in the metrics); the body names the reason.",
    "backend be_deny_401",
    `  http-request return status 401 content-type application/json lf-string '{"error":"invalid_token","error_description":"%[var(txn.reason)]"}' hdr WWW-Authenticate 'Bearer realm="mock-data-api", error="invalid_token"'`,
    "",
    "backend be_deny_403",
    `  http-request return status 403 content-type application/json lf-string '{"error":"forbidden","error_description":"%[var(txn.reason)]"}'`,
    "",
    "backend be_deny_429",
    `  http-request return status 429 content-type application/json string '{"error":"rate_limited"}' hdr Retry-After ${window}`,
    "",
    "backend be_reject",
    `  http-request return status 403 content-type application/json string '{"error":"forbidden"}'`,
    "",
    // One backend per org: per-client request counts and latencies in the metrics, and its own token.
    ...props.clients.flatMap((c) => [
      `backend ${orgBackend(c.org)}`,
      `  http-request set-header Authorization "Bearer \${${backendTokenEnv(c.org)}}"`,
      `  server postgrest ${props.upstream}`,
      "",
    ]),
    "# Metrics and health, on a port that is never routed publicly.",
    "frontend fe_metrics",
    `  bind ${props.metricsBind}`,
    "  no log",
    "  http-request use-service prometheus-exporter if { path /metrics }",
    `  http-request return status 200 content-type text/plain string "ok" if { path /healthz }`,
    "  http-request return status 404",
    "",
  ];
  const text = lines.join("\n");
  if (text.includes("{{")) throw new Error("gateway: the configuration must not contain {{ (Helm would template it)");
  return text;
}
