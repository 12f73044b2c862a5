/** The gateway's files for an environment: haproxy.cfg, its maps and the public keys (what the chart mounts). */
import * as path from "node:path";
import type { Environment } from "../config";
import { publicHostnames } from "../hostnames";
import { gatewayIssuer } from "./issuer";
import { haproxyConfig, mapFiles, type GatewayClient } from "./haproxy";
import { publicKeys } from "./public-keys";

export interface GatewayBundleOptions {
  /** Directory the map and key files are in, as HAProxy sees it. */
  readonly filesDir: string;
  readonly bind: string;
  readonly metricsBind: string;
  readonly upstream: string;
}

export function gatewayClients(env: Environment): GatewayClient[] {
  const g = env.config.mockDataApi.gateway;
  return env.config.mockDataApi.clients.map((c) => ({ org: c.name, limit: c.rateLimit ?? g.rateLimit.requests }));
}

/** File name → content: `haproxy.cfg`, the three maps and `keys/<kid>.pem`... flattened as `<kid>.pem`. */
export function gatewayBundle(root: string, env: Environment, options: GatewayBundleOptions): Record<string, string> {
  const g = env.config.mockDataApi.gateway;
  const keys = publicKeys(root, env.name);
  const keyRefs = keys.map((k) => ({ kid: k.kid, path: path.posix.join(options.filesDir, `${k.kid}.pem`) }));
  const clients = gatewayClients(env);
  const cfg = haproxyConfig({
    clients,
    keys: keyRefs,
    issuer: gatewayIssuer(env),
    audience: g.audience,
    maxLifetime: g.maxTokenLifetime,
    rateWindow: g.rateLimit.window,
    maxBodyBytes: g.maxBodyBytes,
    bind: options.bind,
    metricsBind: options.metricsBind,
    upstream: options.upstream,
    mapDir: options.filesDir,
    swaggerOrigin: `https://${publicHostnames(env.config).swagger}`,
  });
  return {
    "haproxy.cfg": cfg,
    ...mapFiles({ clients, keys: keyRefs }),
    ...Object.fromEntries(keys.map((k) => [`${k.kid}.pem`, k.pem])),
  };
}
