// What the command-line entry points hand to their commands: this process's root, environment and terminal.
import { askOnTerminal } from "../lib/secrets/passphrase";

export function processIO() {
  return {
    root: process.cwd(),
    env: process.env,
    ask: askOnTerminal,
    stdout: (data: string | Uint8Array) => void process.stdout.write(data),
    stderr: (text: string) => void process.stderr.write(text),
  };
}

/** Sets the exit code from a command's promise; an unexpected error exits 1 with its stack. */
export function exitWith(result: Promise<number>): void {
  result.then(
    (code) => (process.exitCode = code),
    (e) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
