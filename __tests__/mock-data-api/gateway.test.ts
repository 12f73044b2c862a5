/**
 * The API gateway with the real HAProxy on loopback (the files `npm run render -- gateway` writes), in front of a
 * backend that records what it receives: every way a token can be wrong, the org routing, the token swap, the
 * rate limit and the metrics endpoint.
 */
import { createHmac } from "node:crypto";
import { signRs256 } from "../../lib/gateway/jwt";
import { environment } from "../support/environments";
import { RecordingBackend, RunningGateway, request, rsaKeyPair, type KeyPair } from "../support/gateway";
import { ScratchProject } from "../support/secrets";

const env = environment("example", (c) => {
  c.mockDataApi.gateway = { maxTokenLifetime: "1h", rateLimit: { requests: 100, window: "2s" } };
  c.mockDataApi.clients[1].rateLimit = 3; // globex: 3 requests per 2 s
});
const ISS = "https://api.platform.example.com";
const AUD = "mock-data-api";
const BACKEND = { acme: "backend-token-of-acme", globex: "backend-token-of-globex" };
const current = rsaKeyPair("2026-a");
const previous = rsaKeyPair("2025-z");
const stranger = rsaKeyPair("2026-a"); // same kid, a key the gateway does not know

let project: ScratchProject;
let backend: RecordingBackend;
let gateway: RunningGateway;

beforeAll(async () => {
  project = new ScratchProject();
  backend = await RecordingBackend.start();
  gateway = await RunningGateway.start(project.root, env, [previous, current], backend.port, BACKEND);
}, 30000);

afterAll(async () => {
  await gateway?.stop();
  await backend?.stop();
  project?.dispose();
});

const now = () => Math.floor(Date.now() / 1000);
const claims = (extra: Record<string, unknown> = {}) => ({ iss: ISS, aud: AUD, org: "acme", iat: now(), nbf: now(), exp: now() + 300, ...extra });
const token = (extra: Record<string, unknown> = {}, key: KeyPair = current) => signRs256(claims(extra), key.privatePem, key.kid);
const get = (auth?: string | string[], path = "/products") => request(gateway.port, path, auth === undefined ? {} : { Authorization: auth });
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");

describe("a valid token", () => {
  test("reaches the org's backend with the org's backend token instead of the client's", async () => {
    const clientToken = token();
    const before = backend.requests.length;
    const res = await get(`Bearer ${clientToken}`);
    expect(res.status).toBe(200);
    const seen = backend.requests.slice(before);
    expect(seen).toHaveLength(1);
    expect(seen[0].headers.authorization).toBe(`Bearer ${BACKEND.acme}`);
    expect(JSON.stringify(seen[0].headers)).not.toContain(clientToken.split(".")[2]);
  });

  test("each org gets its own backend token", async () => {
    const before = backend.requests.length;
    expect((await get(`Bearer ${token({ org: "globex" })}`)).status).toBe(200);
    expect(backend.requests[before].headers.authorization).toBe(`Bearer ${BACKEND.globex}`);
  });

  test("signed with the previous key (rotation: both verify until one is retired)", async () => {
    expect((await get(`Bearer ${token({}, previous)}`)).status).toBe(200);
  });

  test("aud may be an array that contains the audience", async () => {
    expect((await get(`Bearer ${token({ aud: ["other", AUD] })}`)).status).toBe(200);
  });
});

describe("refused with 401, WWW-Authenticate and a JSON body", () => {
  const hs256 = (secret: string, extra: Record<string, unknown> = {}) => {
    const head = b64({ alg: "HS256", typ: "JWT", kid: current.kid });
    const body = b64(claims(extra));
    return `${head}.${body}.${createHmac("sha256", secret).update(`${head}.${body}`).digest("base64url")}`;
  };
  const cases: [string, () => string | undefined][] = [
    ["no Authorization header", () => undefined],
    ["a malformed token", () => "Bearer not.a.jwt"],
    ["alg none", () => `Bearer ${b64({ alg: "none", typ: "JWT", kid: current.kid })}.${b64(claims())}.`],
    ["HS256 signed with the public key", () => `Bearer ${hs256(current.publicPem)}`],
    ["HS256 signed with the key file's path", () => `Bearer ${hs256(`${gateway.dir}/${current.kid}.pem`)}`],
    ["signed by another key under a known kid", () => `Bearer ${token({}, stranger)}`],
    ["an unknown kid", () => `Bearer ${signRs256(claims(), current.privatePem, "nobody")}`],
    ["expired", () => `Bearer ${token({ iat: now() - 600, nbf: now() - 600, exp: now() - 120 })}`],
    ["no exp", () => `Bearer ${signRs256({ iss: ISS, aud: AUD, org: "acme", iat: now() }, current.privatePem, current.kid)}`],
    ["nbf in the future", () => `Bearer ${token({ nbf: now() + 600, exp: now() + 900 })}`],
    ["a wrong iss", () => `Bearer ${token({ iss: "https://evil.example.com" })}`],
    ["no iss", () => `Bearer ${signRs256({ aud: AUD, org: "acme", iat: now(), exp: now() + 60 }, current.privatePem, current.kid)}`],
    ["a wrong aud", () => `Bearer ${token({ aud: "someone-else" })}`],
    ["a lifetime over the maximum", () => `Bearer ${token({ exp: now() + 7200 })}`],
  ];

  test.each(cases)("%s", async (_name, auth) => {
    const before = backend.requests.length;
    const res = await get(auth());
    expect(res.status).toBe(401);
    expect(res.headers["www-authenticate"]).toMatch(/^Bearer realm="mock-data-api"/);
    expect(res.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(res.body).error).toMatch(/^invalid_(token|request)$/);
    expect(backend.requests.length).toBe(before);
  });
});

describe("orgs", () => {
  test.each([
    ["an unknown org", { org: "initech" }],
    ["an org differing only in case", { org: "Acme" }],
    ["an org that is a prefix of a known one", { org: "acm" }],
    ["no org", { org: undefined }],
  ])("%s gets 403 with a JSON body", async (_name, extra) => {
    const res = await get(`Bearer ${token(extra)}`);
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).error).toBe("forbidden");
  });
});

test("two Authorization headers are refused", async () => {
  const res = await get([`Bearer ${token()}`, `Bearer ${token({ org: "globex" })}`]);
  expect(res.status).toBe(400);
});

test("a body over the limit is refused with 413", async () => {
  const res = await request(gateway.port, "/orders", { Authorization: `Bearer ${token()}`, "content-type": "application/json" }, "POST", "x".repeat(20000));
  expect(res.status).toBe(413);
});

test("the rate limit per org: 429 with Retry-After, then back in after the window; other orgs unaffected", async () => {
  const globex = `Bearer ${token({ org: "globex" })}`;
  await new Promise((r) => setTimeout(r, 2100)); // a fresh window for globex
  const statuses = [];
  for (let i = 0; i < 5; i++) statuses.push((await get(globex)).status);
  expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
  const limited = await get(globex);
  expect(limited.status).toBe(429);
  expect(limited.headers["retry-after"]).toBe("2");
  expect((await get(`Bearer ${token()}`)).status).toBe(200); // acme has its own budget
  await new Promise((r) => setTimeout(r, 4200));
  expect((await get(globex)).status).toBe(200);
}, 20000);

test("metrics on their own port, with per-org backends; not served on the public port", async () => {
  const metrics = await request(gateway.metricsPort, "/metrics");
  expect(metrics.status).toBe(200);
  expect(metrics.body).toMatch(/haproxy_backend_http_requests_total\{proxy="be_org_acme"\}/);
  expect(metrics.body).toMatch(/haproxy_backend_http_requests_total\{proxy="be_org_globex"\}/);
  expect((await get(undefined, "/metrics")).status).toBe(401);
  // Refusals are counted by status, for the alerts (bursts of 401/403, clients at their limit).
  for (const proxy of ["be_deny_401", "be_deny_403", "be_deny_429"]) {
    const m = new RegExp(`haproxy_backend_http_requests_total\\{proxy="${proxy}"\\} (\\d+)`).exec(metrics.body);
    expect(Number(m?.[1])).toBeGreaterThan(0);
  }
});

test("the access log is JSON with org, method, path, status and time, and never holds a token", async () => {
  const clientToken = token();
  await get(`Bearer ${clientToken}`, "/products?select=id");
  await new Promise((r) => setTimeout(r, 200));
  const entries = gateway.log.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
  const entry = entries.reverse().find((e) => e.org === "acme" && e.path === "/products");
  expect(entry).toMatchObject({ method: "GET", status: 200, backend: "be_org_acme", reason: "ok" });
  expect(typeof entry.time_ms).toBe("number");
  const all = gateway.log.join("\n");
  expect(all).not.toContain(clientToken.split(".")[2]);
  expect(all).not.toContain(BACKEND.acme);
  expect(all).not.toContain("select=id");
});

describe("Swagger UI's needs", () => {
  const SWAGGER = "https://swagger.platform.example.com";

  test("the OpenAPI document (GET /) is public, reaches the backend without any Authorization", async () => {
    const before = backend.requests.length;
    const res = await request(gateway.port, "/", { Authorization: "Bearer whatever" });
    expect(res.status).toBe(200);
    expect(backend.requests[before].url).toBe("/");
    expect(backend.requests[before].headers.authorization).toBeUndefined();
  });

  test("nothing else is public: other methods or paths still need a token", async () => {
    expect((await request(gateway.port, "/", {}, "POST", "{}")).status).toBe(401);
    expect((await request(gateway.port, "/products")).status).toBe(401);
    expect((await request(gateway.port, "/?select=*")).status).toBe(200); // the document, with query: still only the document
  });

  test("CORS preflights from Swagger UI are answered; from elsewhere they are not", async () => {
    const ok = await request(gateway.port, "/products", { Origin: SWAGGER, "Access-Control-Request-Method": "GET" }, "OPTIONS");
    expect(ok.status).toBe(204);
    expect(ok.headers["access-control-allow-origin"]).toBe(SWAGGER);
    expect(ok.headers["access-control-allow-headers"]).toContain("Authorization");
    const other = await request(gateway.port, "/products", { Origin: "https://evil.example.com" }, "OPTIONS");
    expect(other.status).toBe(401);
    expect(other.headers["access-control-allow-origin"]).toBeUndefined();
  });

  test("answers to Swagger UI carry its CORS header", async () => {
    const res = await request(gateway.port, "/products", { Origin: SWAGGER, Authorization: `Bearer ${token()}` });
    expect(res.status).toBe(200);
    expect(res.headers["access-control-allow-origin"]).toBe(SWAGGER);
  });
});
