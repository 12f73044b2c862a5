// npm run deploy|diff|plan -- <env>-<stack> [arguments...]   (lib/secrets/with-secrets.ts)
import { cdktfWithSecrets } from "../lib/secrets/with-secrets";
import { exitWith, processIO } from "./process-io";

const [command, ...argv] = process.argv.slice(2);
if (command !== "deploy" && command !== "diff" && command !== "plan") {
  console.error("usage: npm run deploy|diff|plan -- <env>-<stack> [arguments...]");
  process.exit(2);
}
exitWith(cdktfWithSecrets(command, argv, processIO()));
