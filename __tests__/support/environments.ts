/** Environments for tests: the example file, or the example with some fields changed. */
import * as fs from "node:fs";
import * as path from "node:path";
import { Testing } from "cdktf";
import { parse } from "yaml";
import { validateConfig, type Environment } from "../../lib/config";
import { definePlatform, type PlatformStacks } from "../../stacks";
import { Template } from "./template";

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

/** The raw (unvalidated) content of config/example.yaml: a fresh copy each call. */
export function exampleRaw(): Record<string, any> {
  return parse(fs.readFileSync(path.join(PROJECT_ROOT, "config", "example.yaml"), "utf8"));
}

/**
 * The example environment with `change` applied to its raw YAML content before validation,
 * e.g. `environment("test", (c) => { c.state = { backend: "gcs", bucket: "b" }; })`.
 */
export function environment(name = "example", change?: (raw: Record<string, any>) => void): Environment {
  const raw = exampleRaw();
  change?.(raw);
  return { name, config: validateConfig(raw, `config/${name}.yaml`) };
}

const roots = new Map<string, string>();
/**
 * The project root for an environment: the real one for `example`, else a scratch root whose
 * config/gateway-keys/<name> holds the example's public keys (so that tests never write into the project).
 */
export function rootFor(name: string): string {
  if (name === "example") return PROJECT_ROOT;
  if (!roots.has(name)) {
    const root = fs.mkdtempSync(path.join(require("node:os").tmpdir(), "root-"));
    fs.cpSync(path.join(PROJECT_ROOT, "config", "gateway-keys", "example"), path.join(root, "config", "gateway-keys", name), { recursive: true });
    roots.set(name, root);
  }
  return roots.get(name)!;
}

/** Defines the five stacks of `env` in a fresh app and returns their templates. */
export function synthPlatform(env: Environment): { stacks: PlatformStacks; templates: Record<keyof PlatformStacks, Template> } {
  const app = Testing.app();
  const stacks = definePlatform(app, env, { root: rootFor(env.name) });
  const templates = Object.fromEntries(Object.entries(stacks).map(([k, s]) => [k, Template.of(s)])) as Record<keyof PlatformStacks, Template>;
  return { stacks, templates };
}
