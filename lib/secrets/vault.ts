/**
 * A secrets file as the commands use it: open (decrypt in memory with whatever the user has), save (encrypt to
 * the recipients listed in the repository, and to a passphrase when the file has one), recipients.
 */
import * as fs from "node:fs";
import type * as openpgp from "openpgp";
import {
  armorPublicKeys,
  decryptText,
  encryptText,
  inspect,
  readPrivateKey,
  readPublicKeys,
  SecretsError,
  type Envelope,
} from "./crypto";
import type { Environment } from "../config";
import type { DeclaredVariable } from "./declared";
import { getPassphrase } from "./passphrase";
import { display, readIfExists, recipientsPath, tfvarsPath, writeAtomic } from "./store";

/** What a command runs with: the project root, the environment, and how to reach the user. */
export interface SecretsContext {
  readonly root: string;
  readonly env: NodeJS.ProcessEnv;
  /** `--passphrase-fd N` */
  readonly passphraseFd?: number;
  /** `--new-passphrase-fd N` */
  readonly newPassphraseFd?: number;
  /** Terminal prompt without echo; undefined when there is no terminal. */
  readonly ask?: (prompt: string) => Promise<string | undefined>;
  /** The variables the stacks of an environment declare; default: read from the stacks (declared.ts). */
  readonly declared?: (environment: Environment) => Map<string, DeclaredVariable[]>;
}

/** A decrypted file, in memory only. */
export interface Opened {
  readonly name: string;
  readonly plaintext: string;
  readonly envelope: Envelope;
  /** The passphrase it was opened with, if any. */
  readonly passphrase?: string;
}

/** The passphrase of the file, read once per command (a descriptor can be read only once). */
class PassphraseCache {
  private value?: Promise<string>;
  constructor(private readonly ctx: SecretsContext) {}
  get(prompt: string, confirm = false): Promise<string> {
    this.value ??= getPassphrase({ fd: this.ctx.passphraseFd, envName: "TFVARS_PASSPHRASE", env: this.ctx.env, prompt, confirm, ask: this.ctx.ask });
    return this.value;
  }
  /** True when a passphrase is at hand without asking (descriptor or environment). */
  get given(): boolean {
    return this.ctx.passphraseFd !== undefined || this.ctx.env.TFVARS_PASSPHRASE !== undefined;
  }
}

export class Vault {
  private readonly passphrases: PassphraseCache;
  private privateKeys?: Promise<openpgp.PrivateKey[]>;

  constructor(private readonly ctx: SecretsContext) {
    this.passphrases = new PassphraseCache(ctx);
  }

  file(name: string): string {
    return display(this.ctx.root, tfvarsPath(this.ctx.root, name));
  }

  exists(name: string): boolean {
    return fs.existsSync(tfvarsPath(this.ctx.root, name));
  }

  /** Private keys from TFVARS_PRIVATE_KEY_FILE (a path) or TFVARS_PRIVATE_KEY (the armored key itself). */
  private loadPrivateKeys(): Promise<openpgp.PrivateKey[]> {
    this.privateKeys ??= (async () => {
      const { TFVARS_PRIVATE_KEY_FILE: file, TFVARS_PRIVATE_KEY: inline, TFVARS_PRIVATE_KEY_PASSPHRASE: passphrase } = this.ctx.env;
      const keys: openpgp.PrivateKey[] = [];
      if (file) {
        let text: string;
        try {
          text = fs.readFileSync(file, "utf8");
        } catch {
          throw new SecretsError([`TFVARS_PRIVATE_KEY_FILE: cannot read ${file}`]);
        }
        keys.push(await readPrivateKey(text, "TFVARS_PRIVATE_KEY_FILE", passphrase));
      }
      if (inline) keys.push(await readPrivateKey(inline, "TFVARS_PRIVATE_KEY", passphrase));
      return keys;
    })();
    return this.privateKeys;
  }

  /** Decrypts `secrets/<name>.tfvars.gpg` in memory. */
  async open(name: string): Promise<Opened> {
    const file = this.file(name);
    const bytes = readIfExists(tfvarsPath(this.ctx.root, name));
    if (!bytes) throw new SecretsError([`${file}: no such file (create it with npm run secrets -- edit ${name})`]);
    const envelope = await inspect(bytes, file);
    const keys = envelope.recipientKeyIds.length ? await this.loadPrivateKeys() : [];
    const keyMatches = keys.some((k) => k.getKeys().some((s) => envelope.recipientKeyIds.includes(s.getKeyID().toHex().toUpperCase())));
    // A passphrase given on purpose wins; else a matching key; else ask for the passphrase.
    if (envelope.passphrase && (this.passphrases.given || !keyMatches)) {
      const passphrase = await this.passphrases.get(`Passphrase for ${file}: `);
      return { name, envelope, passphrase, plaintext: await decryptText(bytes, file, { passphrase }) };
    }
    return { name, envelope, plaintext: await decryptText(bytes, file, { privateKeys: keys }) };
  }

  /** The recipients listed for `name` (secrets/<name>.recipients.asc); [] when there is none. */
  async recipients(name: string): Promise<openpgp.Key[]> {
    const file = recipientsPath(this.ctx.root, name);
    const data = readIfExists(file);
    return data ? readPublicKeys(data, display(this.ctx.root, file)) : [];
  }

  async writeRecipients(name: string, keys: readonly openpgp.Key[]): Promise<void> {
    const file = recipientsPath(this.ctx.root, name);
    if (keys.length === 0) fs.rmSync(file, { force: true });
    else writeAtomic(file, armorPublicKeys(keys));
  }

  /**
   * Encrypts `plaintext` into `secrets/<name>.tfvars.gpg`, atomically. `passphrase`: true keeps (or asks for) the
   * file's passphrase, a string sets that one, false encrypts to the recipients only.
   */
  async save(
    name: string,
    plaintext: string,
    options: {
      passphrase: boolean | string;
      armor: boolean;
      opened?: Opened;
      confirm?: boolean;
      recipients?: readonly openpgp.Key[];
      /** Encrypt to the recipients listed for another name (an environment's). */
      recipientsOf?: string;
    },
  ): Promise<void> {
    const recipients = options.recipients ?? (await this.recipients(options.recipientsOf ?? name));
    let passphrase: string | undefined;
    if (typeof options.passphrase === "string") passphrase = options.passphrase;
    else if (options.passphrase) passphrase = options.opened?.passphrase ?? (await this.confirmedPassphrase(name, options));
    if (passphrase === undefined && recipients.length === 0) {
      throw new SecretsError([`${this.file(name)}: no passphrase and no recipients would open it; keep a passphrase or add a recipient first`]);
    }
    const bytes = await encryptText(plaintext, { passphrase, recipients, armor: options.armor });
    writeAtomic(tfvarsPath(this.ctx.root, name), bytes);
  }

  /** The passphrase to write with; when the file was opened with a key, it is checked against the file. */
  private async confirmedPassphrase(name: string, options: { opened?: Opened; confirm?: boolean }): Promise<string> {
    const passphrase = await this.passphrases.get(`Passphrase for ${this.file(name)}: `, options.confirm ?? !options.opened);
    if (options.opened?.envelope.passphrase) {
      const bytes = readIfExists(tfvarsPath(this.ctx.root, name))!;
      await decryptText(bytes, this.file(name), { passphrase }); // throws "wrong passphrase"
    }
    return passphrase;
  }

  /** The new passphrase of rotate-passphrase: TFVARS_NEW_PASSPHRASE, --new-passphrase-fd, or asked twice. */
  newPassphrase(name: string): Promise<string> {
    return getPassphrase({
      fd: this.ctx.newPassphraseFd,
      envName: "TFVARS_NEW_PASSPHRASE",
      env: this.ctx.env,
      prompt: `New passphrase for ${this.file(name)}: `,
      confirm: true,
      ask: this.ctx.ask,
    });
  }
}
