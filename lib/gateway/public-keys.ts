/** The gateway's public keys: config/gateway-keys/<env>/<kid>.public.pem (not secret, committed). Light: synth reads it. */
import * as fs from "node:fs";
import * as path from "node:path";
import { SecretsError } from "../secrets/errors";

export const publicKeyDir = (root: string, env: string) => path.join(root, "config", "gateway-keys", env);
export const PUBLIC_SUFFIX = ".public.pem";

export interface PublicKey {
  readonly kid: string;
  readonly pem: string;
  readonly file: string;
}

/** Public keys of an environment, oldest first (kids sort by their date prefix). */
export function publicKeys(root: string, env: string): PublicKey[] {
  const dir = publicKeyDir(root, env);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(PUBLIC_SUFFIX))
    .sort()
    .map((f) => {
      const pem = fs.readFileSync(path.join(dir, f), "utf8");
      if (!/^-----BEGIN (RSA )?PUBLIC KEY-----/.test(pem.trim())) throw new SecretsError([`${path.join("config", "gateway-keys", env, f)}: not a PEM public key`]);
      return { kid: f.slice(0, -PUBLIC_SUFFIX.length), pem, file: path.join(dir, f) };
    });
}

