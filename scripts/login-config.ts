// npm run login-config -- --env <env> [--outputs <file>] [--out <file>|-]   (lib/login-config-cli.ts)
import { loginConfigCommand } from "../lib/login-config-cli";

process.exitCode = loginConfigCommand(process.argv.slice(2), {
  root: process.cwd(),
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
});
