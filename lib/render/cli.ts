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
  return ["usage: npm run render -- <artifact> --env <env> [--out <path>] [--upstream host:port] [--bind host:port]", "artifacts:", ...names].join("\n");
}

/** Runs the command; returns the exit code. */
export function renderCommand(
  argv: string[],
  out: (text: string) => void = (t) => void process.stdout.write(t),
  err: (text: string) => void = (t) => void process.stderr.write(t),
): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { env: { type: "string" }, out: { type: "string" }, upstream: { type: "string" }, bind: { type: "string" }, help: { type: "boolean", short: "h" } },
    });
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
  for (const [option, value] of [["--upstream", values.upstream], ["--bind", values.bind]] as const) {
    if (value !== undefined && !/^[A-Za-z0-9.-]+:\d{1,5}$/.test(value)) {
      err(`render: ${option} ${JSON.stringify(value)}, expected host:port\n`);
      return 2;
    }
  }
  let text: string | Record<string, string>;
  try {
    text = artifact.render(loadEnvironment(values.env), { out: values.out, upstream: values.upstream, bind: values.bind, root: process.cwd() });
  } catch (e) {
    if (!(e instanceof ConfigError)) {
      if (e instanceof Error && !(e instanceof TypeError)) {
        err(`render: ${e.message}\n`);
        return 1;
      }
      throw e;
    }
    err(`${e.message}\n`);
    return 1;
  }
  if (typeof text !== "string") {
    fs.mkdirSync(values.out!, { recursive: true });
    for (const [file, content] of Object.entries(text)) fs.writeFileSync(path.join(values.out!, file), content);
    err(`render: wrote ${Object.keys(text).length} files of ${name} (${values.env}) to ${values.out}\n`);
    return 0;
  }
  if (values.out) {
    fs.mkdirSync(path.dirname(path.resolve(values.out)), { recursive: true });
    fs.writeFileSync(values.out, text);
    err(`render: wrote ${name} of ${values.env} to ${values.out}\n`);
  } else out(text);
  return 0;
}
