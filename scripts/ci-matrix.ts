/**
 * npm run -s ci:matrix -- [--changed <file with one path a line>]
 * The stacks CI diffs or deploys, as a GitHub Actions matrix: {"include":[{"env":"prod","stack":"prod-commons"},...]}.
 * Without --changed, or when a changed file is not specific to one environment (code, dependencies), every
 * environment; else the environments whose config, secrets or keys changed. bootstrap is included only where its
 * state lives in the bucket (before that, an administrator runs it locally).
 */
import * as fs from "node:fs";
import { parseArgs } from "node:util";
import { listEnvironments, loadEnvironment } from "../lib/config";
import { touchedEnvironments } from "../lib/ci";
import { STACK_NAMES, stackId } from "../stacks/platform-stack";

const { values } = parseArgs({ options: { changed: { type: "string" } } });
const changed = values.changed ? fs.readFileSync(values.changed, "utf8").split("\n").map((l) => l.trim()) : undefined;
const include = touchedEnvironments(listEnvironments(), changed).flatMap((env) => {
  const { config } = loadEnvironment(env);
  return STACK_NAMES.filter((s) => s !== "bootstrap" || config.state.bootstrap === "gcs").map((stack) => ({ env, stack: stackId(env, stack) }));
});
process.stdout.write(`${JSON.stringify({ include })}\n`);
