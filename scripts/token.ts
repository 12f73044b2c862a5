// npm run token -- --env <env> --org <org> [--ttl <duration>]   (lib/gateway/cli.ts)
import { tokenCommand } from "../lib/gateway/cli";
import { askOnTerminal } from "../lib/secrets/passphrase";

tokenCommand(process.argv.slice(2), {
  root: process.cwd(),
  env: process.env,
  ask: askOnTerminal,
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
}).then((code) => (process.exitCode = code));
