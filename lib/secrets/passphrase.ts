/**
 * Where passphrases come from, never from argv (it is visible to every process of the machine):
 * `--passphrase-fd N` (first line read from that descriptor, as gpg does), else the environment variable
 * (`TFVARS_PASSPHRASE` for the file, `TFVARS_NEW_PASSPHRASE` for a new one), else a prompt on the terminal
 * without echo. Without any of them the command fails and says which to use.
 */
import * as fs from "node:fs";
import * as tty from "node:tty";
import { SecretsError } from "./crypto";

export interface PassphraseSource {
  /** File descriptor to read the first line from. */
  readonly fd?: number;
  /** Environment variable holding it. */
  readonly envName: string;
  readonly env: NodeJS.ProcessEnv;
  /** Prompt text; when the prompt is used. */
  readonly prompt: string;
  /** Ask twice and compare (a new passphrase). */
  readonly confirm?: boolean;
  /** Terminal prompt; default reads /dev/tty. Tests replace it. */
  readonly ask?: (prompt: string) => Promise<string | undefined>;
}

function firstLine(text: string): string {
  return text.split(/\r?\n/)[0];
}

export async function getPassphrase(source: PassphraseSource): Promise<string> {
  let value: string | undefined;
  if (source.fd !== undefined) {
    try {
      value = firstLine(fs.readFileSync(source.fd, "utf8"));
    } catch (e) {
      throw new SecretsError([`--passphrase-fd ${source.fd}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`]);
    }
  } else if (source.env[source.envName] !== undefined) {
    value = source.env[source.envName];
  } else {
    const ask = source.ask ?? askOnTerminal;
    value = await ask(source.prompt);
    if (value === undefined) {
      throw new SecretsError([`no passphrase: set ${source.envName}, pass --passphrase-fd N, or run in a terminal to be asked`]);
    }
    if (source.confirm && value !== "" && (await ask("Repeat it: ")) !== value) throw new SecretsError(["the two passphrases differ"]);
  }
  if (value === undefined || value === "") throw new SecretsError(["the passphrase is empty"]);
  return value;
}

/** Reads a line from the controlling terminal without echo; undefined when there is no terminal. */
export async function askOnTerminal(prompt: string): Promise<string | undefined> {
  let fd: number;
  try {
    fd = fs.openSync("/dev/tty", "r+");
  } catch {
    return undefined;
  }
  const input = new tty.ReadStream(fd);
  const output = new tty.WriteStream(fd);
  output.write(prompt);
  input.setRawMode(true);
  try {
    return await new Promise<string>((resolve, reject) => {
      let line = "";
      input.on("data", (chunk: Buffer) => {
        for (const ch of chunk.toString("utf8")) {
          if (ch === "\r" || ch === "\n") return resolve(line);
          if (ch === "\u0003") return reject(new SecretsError(["interrupted"]));
          if (ch === "\u007f" || ch === "\b") line = line.slice(0, -1);
          else line += ch;
        }
      });
    });
  } finally {
    input.setRawMode(false);
    output.write("\n");
    input.destroy();
    output.destroy();
  }
}
