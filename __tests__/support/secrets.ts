/** A scratch project for the secrets commands: config/ copied from the real one, an empty secrets/. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as openpgp from "openpgp";
import { secretsCommand, type SecretsIO } from "../../lib/secrets/cli";
import type { DeclaredVariable } from "../../lib/secrets/declared";
import { PROJECT_ROOT } from "./environments";

export class ScratchProject {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), "secrets-project-"));

  constructor() {
    fs.cpSync(path.join(PROJECT_ROOT, "config"), path.join(this.root, "config"), { recursive: true });
    fs.mkdirSync(path.join(this.root, "secrets"));
  }

  path(...parts: string[]): string {
    return path.join(this.root, ...parts);
  }

  /** Files under secrets/, sorted (to prove nothing partial or in clear is left behind). */
  secretsFiles(): string[] {
    return fs.readdirSync(this.path("secrets")).sort();
  }

  dispose(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  stdin?: string;
  ask?: (prompt: string) => Promise<string | undefined>;
  editor?: (file: string) => number;
  declared?: Record<string, Array<Partial<DeclaredVariable> & { name: string }>>;
}

/** Runs `npm run secrets -- <argv>` in the scratch project; no terminal unless `ask` is given. */
export async function secrets(project: ScratchProject, argv: string[], options: RunOptions = {}) {
  let stdout = "";
  let stderr = "";
  const io: SecretsIO = {
    root: project.root,
    env: options.env ?? {},
    readStdin: async () => Buffer.from(options.stdin ?? ""),
    stdout: (d) => (stdout += typeof d === "string" ? d : Buffer.from(d).toString()),
    stderr: (t) => (stderr += t),
    ask: options.ask ?? (async () => undefined),
    runEditor: options.editor,
    declared: options.declared
      ? () =>
          new Map(
            Object.entries(options.declared!).map(([stack, vars]) => [
              stack,
              vars.map((v) => ({ stack, description: `the ${v.name}`, sensitive: true, required: true, ...v })),
            ]),
          )
      : undefined,
  };
  const code = await secretsCommand(argv, io);
  return { code, stdout, stderr };
}

/** A key pair gpg 2.2 can use (v4, legacy Curve25519), made by openpgp. */
export async function keyPair(email: string): Promise<{ publicKey: string; privateKey: string; fingerprint: string }> {
  const { publicKey, privateKey } = await openpgp.generateKey({
    type: "ecc",
    curve: "curve25519Legacy",
    userIDs: [{ name: email.split("@")[0], email }],
    format: "armored",
  });
  const key = await openpgp.readKey({ armoredKey: publicKey });
  return { publicKey, privateKey, fingerprint: key.getFingerprint().toUpperCase() };
}
