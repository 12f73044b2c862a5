/**
 * npm run bench -- gateway [--seconds N] [--connections N]
 * wrk (Debian) at fixed concurrency through the generated gateway (valid RS256 tokens: verification, claims,
 * routing, rate-limit accounting, token swap) and through a plain HAProxy reverse proxy, both in front of the same
 * local backend (an HAProxy that answers 200 at once, so that the backend is never the bottleneck). Prints req/s,
 * p50 and p99 latency of both and their ratio. Everything listens on 127.0.0.1 and stops by itself.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { validateConfig } from "../lib/config";
import { parse } from "yaml";
import { gatewayBundle } from "../lib/gateway/bundle";
import { backendTokenEnv } from "../lib/gateway/haproxy";
import { signRs256 } from "../lib/gateway/jwt";
import { generateKeyPairSync } from "node:crypto";

const ROOT = path.resolve(__dirname, "..");

function need(cmd: string, pkg: string): void {
  try {
    execFileSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" });
  } catch {
    throw new Error(`bench gateway: ${cmd} is not installed (apt-get install ${pkg})`);
  }
}

async function freePort(): Promise<number> {
  const net = await import("node:net");
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function haproxy(cfg: string, env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn("haproxy", ["-db", "-f", cfg], { env: { PATH: process.env.PATH, ...env }, stdio: ["ignore", "ignore", "inherit"] });
}

interface Result {
  rps: number;
  p50: string;
  p99: string;
  non2xx: number;
}

function wrk(url: string, seconds: number, connections: number, headers: string[] = []): Result {
  const out = execFileSync("wrk", ["-t2", `-c${connections}`, `-d${seconds}s`, "--latency", ...headers.flatMap((h) => ["-H", h]), url], { encoding: "utf8" });
  const line = (re: RegExp) => re.exec(out)?.[1] ?? "?";
  return { rps: Number(line(/Requests\/sec:\s+([\d.]+)/)), p50: line(/\s50%\s+(\S+)/), p99: line(/\s99%\s+(\S+)/), non2xx: Number(line(/Non-2xx or 3xx responses:\s+(\d+)/) === "?" ? 0 : line(/Non-2xx or 3xx responses:\s+(\d+)/)) };
}

export async function benchGateway(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, allowPositionals: true, options: { seconds: { type: "string", default: "10" }, connections: { type: "string", default: "32" } } });
  need("haproxy", "haproxy");
  need("wrk", "wrk");
  const seconds = Number(values.seconds);
  const connections = Number(values.connections);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-gateway-"));
  const children: ChildProcess[] = [];
  try {
    // The example environment, with a rate limit no benchmark reaches and a fresh key pair.
    const raw = parse(fs.readFileSync(path.join(ROOT, "config", "example.yaml"), "utf8"));
    raw.mockDataApi.gateway = { ...raw.mockDataApi.gateway, rateLimit: { requests: 1_000_000_000, window: "10s" } };
    const env = { name: "bench", config: validateConfig(raw, "config/example.yaml") };
    const pair = generateKeyPairSync("rsa", { modulusLength: 3072 });
    const kid = "bench";
    fs.mkdirSync(path.join(dir, "config", "gateway-keys", "bench"), { recursive: true });
    fs.writeFileSync(path.join(dir, "config", "gateway-keys", "bench", `${kid}.public.pem`), pair.publicKey.export({ type: "spki", format: "pem" }).toString());

    const [upstream, gatewayPort, metricsPort, plainPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    fs.writeFileSync(
      path.join(dir, "upstream.cfg"),
      `global\n  maxconn 4096\ndefaults\n  mode http\n  timeout connect 5s\n  timeout client 30s\n  timeout server 30s\nfrontend fe\n  bind 127.0.0.1:${upstream}\n  http-request return status 200 content-type application/json string '[{"id":1}]'\n`,
    );
    fs.writeFileSync(
      path.join(dir, "plain.cfg"),
      `global\n  maxconn 4096\ndefaults\n  mode http\n  timeout connect 5s\n  timeout client 30s\n  timeout server 30s\nfrontend fe\n  bind 127.0.0.1:${plainPort}\n  default_backend be\nbackend be\n  server up 127.0.0.1:${upstream}\n`,
    );
    const files = gatewayBundle(dir, env, { filesDir: dir, bind: `127.0.0.1:${gatewayPort}`, metricsBind: `127.0.0.1:${metricsPort}`, upstream: `127.0.0.1:${upstream}` });
    for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
    const tokens = Object.fromEntries(env.config.mockDataApi.clients.map((c) => [backendTokenEnv(c.name), `backend-token-${c.name}`]));
    children.push(haproxy(path.join(dir, "upstream.cfg")), haproxy(path.join(dir, "plain.cfg")), haproxy(path.join(dir, "haproxy.cfg"), tokens));
    await new Promise((r) => setTimeout(r, 800));

    const now = Math.floor(Date.now() / 1000);
    const g = env.config.mockDataApi.gateway;
    const token = signRs256(
      { iss: g.issuer ?? `https://api.${env.config.dns.domain}`, aud: g.audience, org: "acme", iat: now, nbf: now, exp: now + 3600 },
      pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      kid,
    );
    wrk(`http://127.0.0.1:${gatewayPort}/products`, 2, connections, [`Authorization: Bearer ${token}`]); // warm-up
    const gateway = wrk(`http://127.0.0.1:${gatewayPort}/products`, seconds, connections, [`Authorization: Bearer ${token}`]);
    const plain = wrk(`http://127.0.0.1:${plainPort}/products`, seconds, connections);
    const show = (label: string, r: Result) => console.log(`${label.padEnd(8)} ${r.rps.toFixed(0).padStart(8)} req/s  p50 ${r.p50.padStart(8)}  p99 ${r.p99.padStart(8)}  non-2xx ${r.non2xx}`);
    console.log(`wrk -t2 -c${connections} -d${seconds}s, ${os.cpus().length} cores, HAProxy ${execFileSync("haproxy", ["-v"], { encoding: "utf8" }).split("\n")[0].split(" ")[2]}`);
    show("gateway", gateway);
    show("plain", plain);
    console.log(`ratio    ${(gateway.rps / plain.rps).toFixed(2)} of the plain proxy's throughput`);
    return gateway.non2xx === 0 ? 0 : 1;
  } finally {
    for (const c of children) c.kill("SIGTERM");
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
