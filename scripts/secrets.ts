// npm run secrets -- <command> ...   (lib/secrets/cli.ts, docs/secrets.md)
import { askOnTerminal } from "../lib/secrets/passphrase";
import { secretsCommand } from "../lib/secrets/cli";

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

secretsCommand(process.argv.slice(2), {
  root: process.cwd(),
  env: process.env,
  readStdin,
  stdout: (data) => void process.stdout.write(data),
  stderr: (text) => void process.stderr.write(text),
  ask: askOnTerminal,
}).then(
  (code) => (process.exitCode = code),
  (e) => {
    console.error(e);
    process.exitCode = 1;
  },
);
