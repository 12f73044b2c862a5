/**
 * The CDKTF app: every stack of every environment in config/. This file only wires config to stacks.
 * `npm run synth` runs it directly; the cdktf CLI runs it through cdktf.json for deploy and diff.
 */
import { App } from "cdktf";
import { ConfigError, loadAllEnvironments } from "./lib/config";
import { definePlatform } from "./stacks";

function main(): void {
  const environments = loadAllEnvironments(); // before App: a bad config leaves no cdktf.out behind
  const app = new App();
  for (const environment of environments) definePlatform(app, environment);
  app.synth();
}

try {
  main();
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  console.error(e.message);
  process.exitCode = 1;
}
