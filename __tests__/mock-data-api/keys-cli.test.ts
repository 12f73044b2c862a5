/** npm run keys / npm run token: the gateway's key pairs, client tokens and backend tokens. */
import { createHmac, createPublicKey, verify } from "node:crypto";
import * as fs from "node:fs";
import { keysCommand, tokenCommand, type GatewayCliIO } from "../../lib/gateway/cli";
import { decodePayload } from "../../lib/gateway/jwt";
import { publicKeys } from "../../lib/gateway/public-keys";
import { parseTfvars } from "../../lib/secrets/tfvars";
import { ScratchProject, secrets } from "../support/secrets";

const PASS = { TFVARS_PASSPHRASE: "example passphrase" };
let project: ScratchProject;

beforeEach(async () => {
  project = new ScratchProject();
  fs.rmSync(project.path("config", "gateway-keys"), { recursive: true, force: true });
  await secrets(project, ["encrypt", "example"], { env: PASS, stdin: 'grafana_admin_password = "x"\n' });
});
afterEach(() => project.dispose());

async function run(command: typeof keysCommand, argv: string[], env: NodeJS.ProcessEnv = PASS, now?: Date) {
  let stdout = "";
  let stderr = "";
  const io: GatewayCliIO = { root: project.root, env, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), ask: async () => undefined, now: now ? () => now : undefined };
  return { code: await command(argv, io), stdout, stderr };
}

test("rotate adds a key pair: the public key in config/, the private key encrypted under secrets/", async () => {
  expect((await run(keysCommand, ["rotate", "--env", "example"])).code).toBe(0);
  const keys = publicKeys(project.root, "example");
  expect(keys).toHaveLength(1);
  expect(keys[0].pem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
  expect(project.secretsFiles()).toContain("example-gateway-keys.tfvars.gpg");
  expect(fs.readFileSync(project.path("secrets", "example-gateway-keys.tfvars.gpg")).toString("latin1")).not.toContain("PRIVATE KEY");
});

test("a client token is RS256, signed with the newest key, with iss, aud, org, iat, nbf and exp", async () => {
  await run(keysCommand, ["rotate", "--env", "example"]);
  const { code, stdout } = await run(tokenCommand, ["--env", "example", "--org", "acme", "--ttl", "30m"]);
  expect(code).toBe(0);
  const token = stdout.trim();
  const [head, body, sig] = token.split(".");
  const header = JSON.parse(Buffer.from(head, "base64url").toString());
  const key = publicKeys(project.root, "example")[0];
  expect(header).toEqual({ alg: "RS256", typ: "JWT", kid: key.kid });
  expect(verify("sha256", Buffer.from(`${head}.${body}`), createPublicKey(key.pem), Buffer.from(sig, "base64url"))).toBe(true);
  const claims = decodePayload(token) as Record<string, number | string>;
  expect(claims).toMatchObject({ iss: "https://api.platform.example.com", aud: "mock-data-api", org: "acme" });
  expect(Number(claims.exp) - Number(claims.iat)).toBe(1800);
});

test("after a rotation, tokens use the new key; retire removes the oldest; the last key cannot be retired", async () => {
  await run(keysCommand, ["rotate", "--env", "example"], PASS, new Date("2026-01-01T00:00:00Z"));
  await new Promise((r) => setTimeout(r, 5));
  await run(keysCommand, ["rotate", "--env", "example"]);
  const [older, newer] = publicKeys(project.root, "example");
  const header = JSON.parse(Buffer.from((await run(tokenCommand, ["--env", "example", "--org", "acme"])).stdout.split(".")[0], "base64url").toString());
  expect(header.kid).toBe(newer.kid);
  expect((await run(keysCommand, ["retire", "--env", "example"])).code).toBe(0);
  expect(publicKeys(project.root, "example").map((k) => k.kid)).toEqual([newer.kid]);
  expect(older.kid < newer.kid).toBe(true);
  expect(await run(keysCommand, ["retire", "--env", "example"])).toMatchObject({ code: 1, stderr: expect.stringContaining("only one key; rotate first") });
});

test("backend tokens: HS256 per org with role, org, aud and exp, signed with postgrest_jwt_secret, into the tfvars", async () => {
  expect((await run(keysCommand, ["backend-tokens", "--env", "example"])).code).toBe(0);
  const values = await parseTfvars((await secrets(project, ["decrypt", "example", "--stdout"], { env: PASS })).stdout, "x");
  expect(values.grafana_admin_password).toBe("x"); // the other values stay
  const secret = values.postgrest_jwt_secret as string;
  expect(secret.length).toBeGreaterThanOrEqual(32);
  const tokens = values.gateway_backend_tokens as Record<string, string>;
  expect(Object.keys(tokens)).toEqual(["acme", "globex"]);
  const [head, body, sig] = tokens.acme.split(".");
  expect(createHmac("sha256", secret).update(`${head}.${body}`).digest("base64url")).toBe(sig);
  const claims = decodePayload(tokens.acme) as Record<string, unknown>;
  expect(claims).toMatchObject({ role: "org_acme", org: "acme", aud: "postgrest" });
  expect(Number(claims.exp) - Number(claims.iat)).toBe(90 * 86400);
  // --new-secret rotates PostgREST's secret too
  await run(keysCommand, ["backend-tokens", "--env", "example", "--new-secret"]);
  const again = await parseTfvars((await secrets(project, ["decrypt", "example", "--stdout"], { env: PASS })).stdout, "x");
  expect(again.postgrest_jwt_secret).not.toBe(secret);
});

describe("bad inputs, each with one clear line and exit 1", () => {
  test.each([
    [tokenCommand, ["--env", "example", "--org", "initech"], /^--org: "initech", expected one of acme, globex/],
    [tokenCommand, ["--env", "example", "--org", "acme", "--ttl", "48h"], /is longer than the gateway accepts \(mockDataApi\.gateway\.maxTokenLifetime: 24h\)/],
    [tokenCommand, ["--env", "example", "--org", "acme", "--ttl", "forever"], /^--ttl: "forever", expected a duration/],
    [tokenCommand, ["--env", "example", "--org", "acme"], /no key \(npm run keys -- rotate --env example\)/],
    [tokenCommand, ["--org", "acme"], /^--env <env> is required/],
    [keysCommand, ["rotate", "--env", "nowhere"], /^config\/nowhere\.yaml: \(file\)/],
    [keysCommand, ["shred", "--env", "example"], /^usage: npm run keys/],
    [keysCommand, ["rotate", "--env", "example", "--passphrase", "x"], /never taken from the command line/],
  ] as const)("%#: %j", async (command, argv, message) => {
    const { code, stderr } = await run(command as typeof keysCommand, [...argv]);
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
  });

  test("a wrong passphrase writes nothing", async () => {
    expect(await run(keysCommand, ["rotate", "--env", "example"], { TFVARS_PASSPHRASE: "" })).toMatchObject({ code: 1, stderr: "the passphrase is empty\n" });
    expect(publicKeys(project.root, "example")).toEqual([]);
  });
});
