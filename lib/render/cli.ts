/**
 * npm run render -- <artifact> --env <env> [--out <path>]
 * Writes a generated artifact of an environment to <path>, or to standard output without --out.
 * Exit 0 on success, 1 on a bad config, 2 on a bad command line.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, loadEnvironment } from "../config";
import { ARTIFACTS } from ".";

function usage(): string {
  const names = Object.entries(ARTIFACTS).map(([name, a]) => `  ${name.padEnd(12)} ${a.description}`);
  return ["usage: npm run render -- <artifact> --env <env> [--out <path>]", "artifacts:", ...names].join("\n");
}

/** Runs the command; returns the exit code. */
export function renderCommand(
  argv: string[],
  out: (text: string) => void = (t) => void process.stdout.write(t),
  err: (text: string) => void = (t) => void process.stderr.write(t),
): number {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { env: { type: "string" }, out: { type: "string" }, help: { type: "boolean", short: "h" } } });
  } catch (e) {
    err(`render: ${(e as Error).message}\n${usage()}\n`);
    return 2;
  }
  const { positionals, values } = parsed;
  if (values.help) {
    out(`${usage()}\n`);
    return 0;
  }
  const [name, ...extra] = positionals;
  const artifact = name ? ARTIFACTS[name] : undefined;
  if (!artifact || extra.length > 0 || !values.env) {
    const why = !name ? "name an artifact" : !artifact ? `unknown artifact "${name}"` : extra.length ? `unexpected ${extra.join(" ")}` : "--env <env> is required";
    err(`render: ${why}\n${usage()}\n`);
    return 2;
  }
  let text: string;
  try {
    text = artifact.render(loadEnvironment(values.env));
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    err(`${e.message}\n`);
    return 1;
  }
  if (values.out) {
    fs.mkdirSync(path.dirname(path.resolve(values.out)), { recursive: true });
    fs.writeFileSync(values.out, text);
    err(`render: wrote ${name} of ${values.env} to ${values.out}\n`);
  } else out(text);
  return 0;
}
