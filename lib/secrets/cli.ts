/**
 * npm run secrets -- <command> ...   (docs/secrets.md)
 *
 *   encrypt <name> [--armor] [--no-passphrase]   plaintext tfvars on stdin -> secrets/<name>.tfvars.gpg
 *   decrypt <name> --stdout                      prints the plaintext
 *   edit <name>                                  decrypt to a private 0600 file, $EDITOR, check, re-encrypt
 *   check <env>                                  every key declared by a stack, every required secret present
 *   recipients list|add|remove <name> [...]      public keys the file is encrypted to
 *   rotate-passphrase <name>                     re-encrypts with a new passphrase
 *
 * Passphrase: TFVARS_PASSPHRASE, --passphrase-fd N, or a prompt without echo (never argv). Private key for files
 * encrypted to you: TFVARS_PRIVATE_KEY_FILE or TFVARS_PRIVATE_KEY (+ TFVARS_PRIVATE_KEY_PASSPHRASE).
 * Exit 0 on success, 1 on any failure (one line per problem, or the usage for a bad command line).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, loadEnvironment } from "../config";
import { closeMatches } from "../text";
import { SecretsError, assertGpg22Recipient, readPublicKeys } from "./crypto";
import { declaredVariables } from "./declared";
import { checkName, display, recipientsPath } from "./store";
import { parseTfvars } from "./tfvars";
import { Vault, type SecretsContext } from "./vault";

export interface SecretsIO extends SecretsContext {
  readStdin(): Promise<Uint8Array>;
  stdout(data: string | Uint8Array): void;
  stderr(text: string): void;
  /** Runs the editor on a file; returns its exit code. */
  runEditor?(file: string): number;
}

const USAGE = `usage: npm run secrets -- <command> ...
  encrypt <name> [--armor] [--no-passphrase]   read plaintext tfvars on stdin, write secrets/<name>.tfvars.gpg
  decrypt <name> --stdout                      print the plaintext
  edit <name>                                  edit in $EDITOR (a private temporary file, always removed)
  check <env>                                  compare with the variables the stacks of <env> declare
  recipients list <name>
  recipients add <name> <public-key.asc>...
  recipients remove <name> <fingerprint|key id|e-mail>...
  rotate-passphrase <name>
options: --passphrase-fd N, --new-passphrase-fd N (rotate-passphrase)
passphrase: TFVARS_PASSPHRASE, --passphrase-fd N or the prompt; never on the command line
private key: TFVARS_PRIVATE_KEY_FILE or TFVARS_PRIVATE_KEY, with TFVARS_PRIVATE_KEY_PASSPHRASE`;

class UsageError extends Error {}

const TEMPLATE = (name: string) => `# secrets/${name}.tfvars.gpg: HCL tfvars, one secret per line: key = "value"
# The keys are the sensitive variables the stacks declare: npm run secrets -- check ${name}
`;

function parseFd(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${option} takes a file descriptor number`);
  return Number(value);
}

export async function secretsCommand(argv: string[], io: SecretsIO): Promise<number> {
  if (argv.some((a) => /^--passphrase(=|$)|^--new-passphrase(=|$)/.test(a))) {
    io.stderr("secrets: a passphrase is never taken from the command line; use TFVARS_PASSPHRASE, --passphrase-fd N or the prompt\n");
    return 1;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        stdout: { type: "boolean" },
        armor: { type: "boolean" },
        "no-passphrase": { type: "boolean" },
        "passphrase-fd": { type: "string" },
        "new-passphrase-fd": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    io.stderr(`secrets: ${(e as Error).message}\n${USAGE}\n`);
    return 1;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  try {
    const ctx: SecretsIO = {
      ...io,
      passphraseFd: parseFd(values["passphrase-fd"], "--passphrase-fd"),
      newPassphraseFd: parseFd(values["new-passphrase-fd"], "--new-passphrase-fd"),
    };
    const vault = new Vault(ctx);
    const [command, ...rest] = positionals;
    const one = () => {
      if (rest.length !== 1) throw new UsageError(`${command} takes one name`);
      return checkName(rest[0]);
    };
    switch (command) {
      case "encrypt":
        return await encrypt(vault, ctx, one(), { armor: !!values.armor, passphrase: !values["no-passphrase"] });
      case "decrypt": {
        const name = one();
        if (!values.stdout) throw new UsageError("decrypt prints the plaintext only with --stdout (so that it never lands in a file by accident)");
        ctx.stdout((await vault.open(name)).plaintext);
        return 0;
      }
      case "edit":
        return await edit(vault, ctx, one());
      case "check":
        return await check(vault, ctx, one());
      case "recipients":
        return await recipients(vault, ctx, rest);
      case "rotate-passphrase": {
        const name = one();
        const opened = await vault.open(name);
        const next = await vault.newPassphrase(name);
        await vault.save(name, opened.plaintext, { passphrase: next, armor: opened.envelope.armored });
        ctx.stderr(`secrets: ${vault.file(name)} now opens with the new passphrase; tell its holders (and CI)\n`);
        return 0;
      }
      default:
        throw new UsageError(command ? `unknown command "${command}"` : "name a command");
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`secrets: ${e.message}\n${USAGE}\n`);
      return 1;
    }
    if (e instanceof SecretsError || e instanceof ConfigError) {
      io.stderr(`${e.problems.join("\n")}\n`);
      return 1;
    }
    throw e;
  }
}

async function encrypt(vault: Vault, io: SecretsIO, name: string, options: { armor: boolean; passphrase: boolean }): Promise<number> {
  const input = await io.readStdin();
  let plaintext: string;
  try {
    plaintext = new TextDecoder("utf-8", { fatal: true }).decode(input);
  } catch {
    throw new SecretsError(["stdin: the plaintext is not UTF-8 text"]);
  }
  await parseTfvars(plaintext, "stdin");
  await vault.save(name, plaintext, { passphrase: options.passphrase, armor: options.armor, confirm: true });
  io.stderr(`secrets: wrote ${vault.file(name)}\n`);
  return 0;
}

/** A directory only we can read, in memory when the machine has /dev/shm. */
function privateTempDir(): string {
  const base = fs.existsSync("/dev/shm") ? "/dev/shm" : os.tmpdir();
  return fs.mkdtempSync(path.join(base, "tfvars-"));
}

function defaultEditor(file: string, env: NodeJS.ProcessEnv): number {
  const editor = env.VISUAL || env.EDITOR || "vi";
  const result = spawnSync("sh", ["-c", `${editor} "$1"`, "editor", file], { stdio: "inherit" });
  return result.status ?? 1;
}

async function edit(vault: Vault, io: SecretsIO, name: string): Promise<number> {
  const opened = vault.exists(name) ? await vault.open(name) : undefined;
  const dir = privateTempDir();
  fs.chmodSync(dir, 0o700);
  const file = path.join(dir, `${name}.tfvars`);
  const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
  const onSignal = (signal: NodeJS.Signals) => {
    cleanup();
    process.kill(process.pid, signal);
  };
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  for (const s of signals) process.once(s, onSignal);
  try {
    const original = opened?.plaintext ?? TEMPLATE(name);
    fs.writeFileSync(file, original, { mode: 0o600 });
    for (;;) {
      const code = (io.runEditor ?? ((f) => defaultEditor(f, io.env)))(file);
      if (code !== 0) throw new SecretsError([`the editor exited with ${code}; nothing saved`]);
      const text = fs.readFileSync(file, "utf8");
      if (text === original && opened) {
        io.stderr(`secrets: no change to ${vault.file(name)}\n`);
        return 0;
      }
      try {
        await parseTfvars(text, `${name}.tfvars`);
      } catch (e) {
        if (!(e instanceof SecretsError)) throw e;
        io.stderr(`${e.problems.join("\n")}\n`);
        const again = io.ask ? await io.ask("The file does not parse. Edit again? [Y/n] ") : undefined;
        if (again === undefined || /^n/i.test(again)) throw new SecretsError([`${vault.file(name)}: not saved, the edit does not parse`]);
        continue;
      }
      await vault.save(name, text, { passphrase: opened ? opened.envelope.passphrase : true, armor: opened?.envelope.armored ?? false, opened });
      io.stderr(`secrets: wrote ${vault.file(name)}\n`);
      return 0;
    }
  } finally {
    cleanup();
    for (const s of signals) process.removeListener(s, onSignal);
  }
}

async function check(vault: Vault, io: SecretsIO, envName: string): Promise<number> {
  const environment = loadEnvironment(envName, io.root);
  const declared = [...(io.declared ?? ((e) => declaredVariables(e, io.root)))(environment).values()].flat();
  const names = [...new Set(declared.map((v) => v.name))].sort();
  const file = vault.file(envName);
  const required = declared.filter((v) => v.required);
  let values: Record<string, unknown> = {};
  if (vault.exists(envName)) values = await parseTfvars((await vault.open(envName)).plaintext, file);
  else if (required.length === 0) {
    io.stderr(`secrets: ${envName} declares no required secret and has no ${file}: ok\n`);
    return 0;
  }
  const problems: string[] = [];
  if (!vault.exists(envName)) problems.push(`${file}: no such file; ${envName} needs ${required.length} secret(s) (npm run secrets -- edit ${envName})`);
  for (const key of Object.keys(values).sort()) {
    if (!names.includes(key)) {
      const hint = closeMatches(key, names)[0];
      problems.push(`${file}: ${key}: not a variable of any stack of ${envName}${hint ? ` (did you mean ${hint}?)` : ""}`);
    }
  }
  const missing = new Map<string, string[]>();
  for (const v of required) if (!(v.name in values)) missing.set(v.name, [...(missing.get(v.name) ?? []), v.stack]);
  for (const [name, stacks] of missing) {
    const description = declared.find((v) => v.name === name)!.description;
    problems.push(`${file}: ${name}: missing, required by ${stacks.join(", ")} (${description})`);
  }
  if (problems.length) throw new SecretsError(problems);
  io.stderr(`secrets: ${file} ok: ${Object.keys(values).length} value(s), all ${new Set(required.map((v) => v.name)).size} required present\n`);
  return 0;
}

async function recipients(vault: Vault, io: SecretsIO, rest: string[]): Promise<number> {
  const [action, rawName, ...args] = rest;
  const name = checkName(rawName);
  const current = await vault.recipients(name);
  const describe = (k: (typeof current)[number]) =>
    `${k.getFingerprint().toUpperCase()}  ${k.getUserIDs().join(", ") || "(no user id)"}  created ${k.getCreationTime().toISOString().slice(0, 10)}`;
  switch (action) {
    case "list":
      if (args.length) throw new UsageError("recipients list takes one name");
      io.stdout(current.length ? `${current.map(describe).join("\n")}\n` : "");
      if (!current.length) io.stderr(`secrets: ${name} has no recipients (passphrase only)\n`);
      return 0;
    case "add": {
      if (!args.length) throw new UsageError("recipients add takes a name and one or more public key files");
      const opened = vault.exists(name) ? await vault.open(name) : undefined;
      const next = [...current];
      for (const file of args) {
        let data: Uint8Array;
        try {
          data = fs.readFileSync(path.resolve(io.root, file));
        } catch {
          throw new SecretsError([`${file}: cannot read`]);
        }
        for (const key of await readPublicKeys(data, file)) {
          await assertGpg22Recipient(key);
          if (next.some((k) => k.getFingerprint() === key.getFingerprint())) io.stderr(`secrets: ${key.getFingerprint().toUpperCase()} is already a recipient\n`);
          else next.push(key);
        }
      }
      // The file first: if that fails, the recipients list still matches it.
      if (opened) await vault.save(name, opened.plaintext, { passphrase: opened.envelope.passphrase, armor: opened.envelope.armored, opened, recipients: next });
      await vault.writeRecipients(name, next);
      io.stderr(`secrets: ${name} has ${next.length} recipient(s)${opened ? `; ${vault.file(name)} re-encrypted` : ""}\n`);
      return 0;
    }
    case "remove": {
      if (!args.length) throw new UsageError("recipients remove takes a name and one or more fingerprints, key ids or e-mails");
      const matches = (k: (typeof current)[number], what: string) => {
        const w = what.replace(/^0x/i, "").replace(/\s/g, "").toUpperCase();
        return (
          k.getFingerprint().toUpperCase() === w ||
          k.getKeys().some((s) => s.getKeyID().toHex().toUpperCase() === w) ||
          k.getUserIDs().some((u) => u.toUpperCase().includes(`<${w}>`))
        );
      };
      const unknown = args.filter((a) => !current.some((k) => matches(k, a)));
      if (unknown.length) throw new SecretsError(unknown.map((a) => `${display(io.root, recipientsPath(io.root, name))}: no recipient matches ${a}`));
      const next = current.filter((k) => !args.some((a) => matches(k, a)));
      const opened = vault.exists(name) ? await vault.open(name) : undefined;
      if (opened && next.length === 0 && !opened.envelope.passphrase) {
        throw new SecretsError([`${vault.file(name)}: removing the last recipient of a file without a passphrase would lock everybody out`]);
      }
      if (opened) await vault.save(name, opened.plaintext, { passphrase: opened.envelope.passphrase, armor: opened.envelope.armored, opened, recipients: next });
      await vault.writeRecipients(name, next);
      io.stderr(
        `secrets: ${name} has ${next.length} recipient(s)${opened ? `; ${vault.file(name)} re-encrypted` : ""}. ` +
          "Removed members can still read older versions from git history: rotate the secrets they knew.\n",
      );
      return 0;
    }
    default:
      throw new UsageError(action ? `unknown recipients action "${action}"` : "recipients takes list, add or remove");
  }
}
