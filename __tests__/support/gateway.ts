/**
 * The real HAProxy (Debian's) running the generated gateway on loopback, in front of a backend that records what
 * it receives. The files come from gatewayBundle, exactly what `npm run render -- gateway` writes.
 */
import { generateKeyPairSync } from "node:crypto";
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import type { Environment } from "../../lib/config";
import { gatewayBundle } from "../../lib/gateway/bundle";
import { backendTokenEnv } from "../../lib/gateway/haproxy";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, ms = 10000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => (socket.destroy(), resolve(true)));
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on ${port}`);
}

export interface KeyPair {
  readonly kid: string;
  readonly publicPem: string;
  readonly privatePem: string;
}

export function rsaKeyPair(kid: string): KeyPair {
  const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    kid,
    publicPem: pair.publicKey.export({ type: "spki", format: "pem" }).toString(),
    privatePem: pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}

export interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

/** A backend that answers 200 and records every request. */
export class RecordingBackend {
  readonly requests: Recorded[] = [];
  private constructor(
    private readonly server: http.Server,
    readonly port: number,
  ) {}

  static async start(): Promise<RecordingBackend> {
    const port = await freePort();
    let self: RecordingBackend | undefined;
    const server = http.createServer((req, res) => {
      self!.requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
      req.resume();
      req.on("end", () => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end('[{"id":1}]');
      });
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    self = new RecordingBackend(server, port);
    return self;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

export class RunningGateway {
  readonly log: string[] = [];
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly metricsPort: number,
    readonly dir: string,
  ) {}

  /** Writes the bundle of `env` (public keys of `keys` under root/config/gateway-keys) and starts haproxy. */
  static async start(root: string, env: Environment, keys: readonly KeyPair[], upstreamPort: number, backendTokens: Record<string, string>): Promise<RunningGateway> {
    const keyDir = path.join(root, "config", "gateway-keys", env.name);
    fs.rmSync(keyDir, { recursive: true, force: true });
    fs.mkdirSync(keyDir, { recursive: true });
    for (const k of keys) fs.writeFileSync(path.join(keyDir, `${k.kid}.public.pem`), k.publicPem);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gateway-"));
    const [port, metricsPort] = [await freePort(), await freePort()];
    const files = gatewayBundle(root, env, { filesDir: dir, bind: `127.0.0.1:${port}`, metricsBind: `127.0.0.1:${metricsPort}`, upstream: `127.0.0.1:${upstreamPort}` });
    for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
    const tokenEnv = Object.fromEntries(Object.entries(backendTokens).map(([org, token]) => [backendTokenEnv(org), token]));
    const child = spawn("haproxy", ["-db", "-f", path.join(dir, "haproxy.cfg")], { env: { PATH: process.env.PATH, ...tokenEnv }, stdio: ["ignore", "pipe", "pipe"] });
    const gateway = new RunningGateway(child, port, metricsPort, dir);
    const collect = (chunk: Buffer) => gateway.log.push(...chunk.toString().split("\n").filter(Boolean));
    child.stdout!.on("data", collect);
    child.stderr!.on("data", collect);
    await waitForPort(port);
    return gateway;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.child.once("exit", () => resolve());
      this.child.kill("SIGTERM");
    });
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One HTTP request (headers may repeat: pass an array value). */
export function request(port: number, reqPath: string, headers: http.OutgoingHttpHeaders = {}, method = "GET", body?: string): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path: reqPath, method, headers, agent: false }, (res) => {
      let data = "";
      res.on("data", (c) => (data += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
    });
    req.on("error", reject);
    if (body) req.write(body);
    req.end();
  });
}
