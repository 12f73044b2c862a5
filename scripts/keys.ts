// npm run keys -- rotate|retire|list|backend-tokens --env <env>   (lib/gateway/cli.ts)
import { keysCommand } from "../lib/gateway/cli";
import { askOnTerminal } from "../lib/secrets/passphrase";

keysCommand(process.argv.slice(2), {
  root: process.cwd(),
  env: process.env,
  ask: askOnTerminal,
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
}).then((code) => (process.exitCode = code));
