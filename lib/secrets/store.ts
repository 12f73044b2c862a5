/**
 * Files under secrets/: `<name>.tfvars.gpg` (the encrypted tfvars) and `<name>.recipients.asc` (the armored
 * public keys it is encrypted to). Writes are atomic: a temporary file beside the target, then a rename, so a
 * failed command never leaves a partial file.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { SecretsError } from "./crypto";

export const SECRETS_DIR = "secrets";
const NAME = /^[a-z][a-z0-9-]{0,39}$/;

export function checkName(name: string | undefined): string {
  if (!name || !NAME.test(name)) {
    throw new SecretsError([`${JSON.stringify(name ?? "")}: expected a secrets file name such as an environment name (lowercase letters, digits, dashes)`]);
  }
  return name;
}

export const tfvarsPath = (root: string, name: string) => path.join(root, SECRETS_DIR, `${name}.tfvars.gpg`);
export const recipientsPath = (root: string, name: string) => path.join(root, SECRETS_DIR, `${name}.recipients.asc`);
/** The path as users see it in messages. */
export const display = (root: string, file: string) => path.relative(root, file) || file;

/** Writes `data` to `file` atomically (same directory, then rename), mode 0644 unless given. */
export function writeAtomic(file: string, data: Uint8Array | string, mode = 0o644): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(temp, data, { mode, flag: "wx" });
    fs.renameSync(temp, file);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw e;
  }
}

export function readIfExists(file: string): Uint8Array | undefined {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}
