/**
 * npm run deploy|diff -- <env>-<stack> [cdktf arguments...]
 * Decrypts secrets/<env>.tfvars.gpg in memory and starts `cdktf deploy|diff <env>-<stack> ...` with the values of
 * the variables that stack declares as TF_VAR_* in the child's environment only. Nothing in clear touches disk.
 * The child's exit code is returned (128 + signal number when it was killed).
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { constants } from "node:os";
import { ConfigError, listEnvironments, loadEnvironment } from "../config";
import { STACK_NAMES } from "../../stacks/platform-stack";
import { SecretsError } from "./crypto";
import { declaredVariables } from "./declared";
import { parseTfvars, toEnvValue } from "./tfvars";
import { Vault, type SecretsContext } from "./vault";

export interface WithSecretsIO extends SecretsContext {
  stderr(text: string): void;
  /** The cdktf executable; default node_modules/.bin/cdktf of the project. */
  readonly cdktf?: string;
  /** The terraform executable (plan); default `terraform` on the PATH. */
  readonly terraform?: string;
}

/** The child's environment: ours without the TFVARS_* keys (no passphrase or key reaches Terraform), plus TF_VAR_*. */
export function childEnvironment(parent: NodeJS.ProcessEnv, values: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(parent)) if (!k.startsWith("TFVARS_") && !k.startsWith("TF_VAR_")) env[k] = v;
  for (const [k, v] of Object.entries(values)) env[`TF_VAR_${k}`] = v;
  return env;
}

/** Splits `<env>-<stack>` and checks both exist. */
function parseStackId(id: string | undefined, root: string): { env: string; stack: string } {
  const match = id ? /^([a-z][a-z0-9]*)-(.+)$/.exec(id) : null;
  const known = listEnvironments(root);
  if (!match || !(STACK_NAMES as readonly string[]).includes(match[2]) || !known.includes(match[1])) {
    const examples = known.flatMap((e) => STACK_NAMES.map((s) => `${e}-${s}`));
    throw new SecretsError([`${JSON.stringify(id ?? "")}: expected a stack id <env>-<stack>, one of ${examples.join(", ")}`]);
  }
  return { env: match[1], stack: match[2] };
}

/**
 * `deploy` and `diff` run cdktf; `plan` runs `terraform plan -detailed-exitcode` in the synthesized stack's
 * directory (after `npm run synth` and `terraform init` there): exit 0 no change, 2 changes (drift), 1 error.
 */
export async function cdktfWithSecrets(command: "deploy" | "diff" | "plan", argv: string[], io: WithSecretsIO): Promise<number> {
  let env: NodeJS.ProcessEnv;
  let stackId: string;
  try {
    const { env: envName } = parseStackId(argv[0], io.root);
    stackId = argv[0];
    const environment = loadEnvironment(envName, io.root);
    const declared = (io.declared ?? ((e) => declaredVariables(e, io.root)))(environment).get(stackId) ?? [];
    const vault = new Vault(io);
    const values: Record<string, string> = {};
    if (declared.length > 0) {
      const all = vault.exists(envName) ? await parseTfvars((await vault.open(envName)).plaintext, vault.file(envName)) : {};
      for (const v of declared) if (v.name in all) values[v.name] = toEnvValue(all[v.name]);
      const missing = declared.filter((v) => v.required && !(v.name in all));
      if (missing.length) {
        throw new SecretsError(missing.map((v) => `${vault.file(envName)}: ${v.name}: missing, required by ${stackId} (${v.description})`));
      }
    }
    env = childEnvironment(io.env, values);
    io.stderr(`${command}: ${stackId} with ${Object.keys(values).length} secret variable(s) from ${vault.file(envName)}\n`);
  } catch (e) {
    if (e instanceof SecretsError || e instanceof ConfigError) {
      io.stderr(`${e.problems.join("\n")}\n`);
      return 1;
    }
    throw e;
  }
  const cdktf = command === "plan" ? (io.terraform ?? "terraform") : (io.cdktf ?? path.join(io.root, "node_modules", ".bin", "cdktf"));
  const args =
    command === "plan"
      ? [`-chdir=${path.join("cdktf.out", "stacks", stackId)}`, "plan", "-detailed-exitcode", "-input=false", "-lock=false", ...argv.slice(1)]
      : [command, stackId, ...argv.slice(1)];
  const child = spawn(cdktf, args, { cwd: io.root, env, stdio: "inherit" });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  try {
    return await new Promise<number>((resolve) => {
      child.on("error", (e) => {
        io.stderr(`${command}: cannot start ${cdktf}: ${e.message}\n`);
        resolve(1);
      });
      child.on("exit", (code, signal) => resolve(code ?? 128 + (signal ? constants.signals[signal] : 0)));
    });
  } finally {
    process.removeListener("SIGINT", forward);
    process.removeListener("SIGTERM", forward);
  }
}
