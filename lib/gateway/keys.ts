/**
 * The gateway's signing keys. Public keys are not secret: config/gateway-keys/<env>/<kid>.public.pem (committed; the
 * gateway verifies with every one listed, so a rotation keeps the previous key until it is retired). Private keys
 * are: secrets/<env>-gateway-keys.tfvars.gpg (`private_keys = { <kid> = "<PEM>" }`), encrypted like the
 * environment's tfvars (same passphrase, same recipients).
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { SecretsError } from "../secrets/errors";
import { PUBLIC_SUFFIX, publicKeyDir, publicKeys } from "./public-keys";

export { publicKeyDir, publicKeys };

export const keysSecretName = (env: string) => `${env}-gateway-keys`;
import { parseTfvars, stringifyTfvars, type Tfvars } from "../secrets/tfvars";
import type { Vault } from "../secrets/vault";

/** A new kid: the date and a random suffix (sorts by age). */
export function newKid(now = new Date()): string {
  return `${now.toISOString().slice(0, 10).replace(/-/g, "")}-${randomBytes(3).toString("hex")}`;
}

async function privateKeys(vault: Vault, env: string): Promise<Record<string, string>> {
  const name = keysSecretName(env);
  if (!vault.exists(name)) return {};
  const values = await parseTfvars((await vault.open(name)).plaintext, vault.file(name));
  return (values.private_keys as Record<string, string> | undefined) ?? {};
}

async function savePrivateKeys(vault: Vault, env: string, keys: Record<string, string>): Promise<void> {
  const text = stringifyTfvars({ private_keys: keys } as Tfvars, `Private keys of the ${env} API gateway, by kid (npm run keys).`);
  await vault.save(keysSecretName(env), text, { passphrase: true, armor: false, recipientsOf: env });
}

/** Adds a key pair; returns its kid. */
export async function rotateKey(root: string, vault: Vault, env: string): Promise<string> {
  const keys = await privateKeys(vault, env);
  const kid = newKid();
  const pair = generateKeyPairSync("rsa", { modulusLength: 3072 });
  keys[kid] = pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  await savePrivateKeys(vault, env, keys);
  fs.mkdirSync(publicKeyDir(root, env), { recursive: true });
  fs.writeFileSync(path.join(publicKeyDir(root, env), `${kid}${PUBLIC_SUFFIX}`), pair.publicKey.export({ type: "spki", format: "pem" }).toString());
  return kid;
}

/** Removes a key (default the oldest); refuses to remove the last one. */
export async function retireKey(root: string, vault: Vault, env: string, kid?: string): Promise<string> {
  const all = publicKeys(root, env);
  if (all.length < 2) throw new SecretsError([`config/gateway-keys/${env}: only one key; rotate first (npm run keys -- rotate --env ${env})`]);
  const target = kid ?? all[0].kid;
  if (!all.some((k) => k.kid === target)) throw new SecretsError([`config/gateway-keys/${env}: no key ${target}`]);
  const keys = await privateKeys(vault, env);
  delete keys[target];
  await savePrivateKeys(vault, env, keys);
  fs.rmSync(path.join(publicKeyDir(root, env), `${target}${PUBLIC_SUFFIX}`));
  return target;
}

/** The newest key pair (what new tokens are signed with). */
export async function signingKey(root: string, vault: Vault, env: string): Promise<{ kid: string; pem: string }> {
  const newest = publicKeys(root, env).at(-1);
  if (!newest) throw new SecretsError([`config/gateway-keys/${env}: no key (npm run keys -- rotate --env ${env})`]);
  const pem = (await privateKeys(vault, env))[newest.kid];
  if (!pem) throw new SecretsError([`${vault.file(keysSecretName(env))}: no private key for ${newest.kid}`]);
  return { kid: newest.kid, pem };
}
