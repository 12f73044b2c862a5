// npm run deploy|diff -- <env>-<stack> [cdktf arguments...]   (lib/secrets/with-secrets.ts)
import { askOnTerminal } from "../lib/secrets/passphrase";
import { cdktfWithSecrets } from "../lib/secrets/with-secrets";

const [command, ...argv] = process.argv.slice(2);
if (command !== "deploy" && command !== "diff" && command !== "plan") {
  console.error("usage: npm run deploy|diff|plan -- <env>-<stack> [arguments...]");
  process.exit(2);
}
cdktfWithSecrets(command, argv, {
  root: process.cwd(),
  env: process.env,
  stderr: (text) => void process.stderr.write(text),
  ask: askOnTerminal,
}).then((code) => (process.exitCode = code));
