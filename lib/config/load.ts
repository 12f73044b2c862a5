/**
 * Loads and validates `config/<env>.yaml`. Every problem of a file is reported at once, one line each:
 * `config/<env>.yaml: <field path>: <what was found>, expected <what>`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { z } from "zod";
import { closeMatches } from "../text";
import { configSchema, type Environment, type EnvironmentConfig } from "./schema";

/** Where environment files live, relative to the project root. */
export const CONFIG_DIR = "config";
const ENV_NAME = /^[a-z][a-z0-9]{0,11}$/;

/** A config that does not validate. `problems` holds one formatted line per problem. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "ConfigError";
  }
}

type Path = readonly PropertyKey[];

function formatPath(p: Path): string {
  if (p.length === 0) return "(top level)";
  return p.reduce<string>((out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), "");
}

function valueAt(root: unknown, p: Path): unknown {
  let cur: unknown = root;
  for (const key of p) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/** What a user wrote, in words: `"abc"`, `42`, `a list`, `nothing`. */
function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === "object") return "a map";
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return `${String(value)} (${typeof value})`;
}

const TYPE_WORDS: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  object: "a map",
  array: "a list",
};

/** The keys that the schema accepts for the object at `p`, to suggest the right one after a typo. */
function knownKeys(p: Path): string[] {
  let schema: z.ZodType = configSchema;
  for (const key of p) {
    schema = unwrap(schema);
    if (schema instanceof z.ZodObject) schema = (schema.shape as Record<string, z.ZodType>)[String(key)];
    else if (schema instanceof z.ZodArray) schema = schema.element as z.ZodType;
    if (!schema) return [];
  }
  schema = unwrap(schema);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let cur = schema;
  for (;;) {
    const inner = (cur as unknown as { _zod: { def: { innerType?: z.ZodType; in?: z.ZodType } } })._zod.def;
    const next = inner.innerType ?? inner.in;
    if (!next) return cur;
    cur = next;
  }
}

interface Problem {
  readonly path: Path;
  readonly found: string;
  readonly expected: string;
}

function problemsOf(issue: z.core.$ZodIssue, raw: unknown): Problem[] {
  const found = describe(valueAt(raw, issue.path));
  switch (issue.code) {
    case "unrecognized_keys": {
      const known = knownKeys(issue.path);
      return issue.keys.map((key) => {
        const close = closeMatches(key, known);
        const hint = close.length ? ` (did you mean ${close.join(" or ")}?)` : "";
        return {
          path: [...issue.path, key],
          found: `unknown field${hint}`,
          expected: known.length ? `one of ${known.join(", ")}` : "no field here",
        };
      });
    }
    case "invalid_type":
      return [{ path: issue.path, found, expected: TYPE_WORDS[issue.expected] ?? issue.expected }];
    case "invalid_value":
      return [{ path: issue.path, found, expected: `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}` }];
    case "too_small":
    case "too_big": {
      const bound = issue.code === "too_small" ? "at least" : "at most";
      const unit = issue.origin === "array" ? " entries" : issue.origin === "string" ? " characters" : "";
      return [{ path: issue.path, found, expected: `${bound} ${String(issue.code === "too_small" ? issue.minimum : issue.maximum)}${unit}` }];
    }
    default:
      // Formats and refinements carry the expected form as their message (see formats.ts).
      return [{ path: issue.path, found, expected: issue.message }];
  }
}

/** Checks that involve more than one field, on what the user wrote (defaults do not cause these). */
function crossFieldProblems(raw: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  const at = (...p: PropertyKey[]) => valueAt(raw, p);

  const backend = at("state", "backend");
  if (backend === "gcs" && at("state", "bucket") === undefined)
    problems.push({ path: ["state", "bucket"], found: "nothing", expected: "a bucket name, because state.backend is gcs" });
  if (backend === "local" && at("state", "bucket") !== undefined)
    problems.push({ path: ["state", "bucket"], found: describe(at("state", "bucket")), expected: "no bucket, because state.backend is local (or set backend: gcs)" });
  if (at("state", "bootstrap") === "gcs" && backend !== "gcs")
    problems.push({ path: ["state", "bootstrap"], found: '"gcs"', expected: '"local", because state.backend is not gcs' });

  const access = at("cluster", "access") ?? "gke";
  if (access === "kubeconfig" && at("cluster", "kubeconfig") === undefined)
    problems.push({ path: ["cluster", "kubeconfig"], found: "nothing", expected: "a map with context (and path), because cluster.access is kubeconfig" });
  if (access === "gke" && at("cluster", "kubeconfig") !== undefined)
    problems.push({ path: ["cluster", "kubeconfig"], found: "a map", expected: "nothing, because cluster.access is gke (or set access: kubeconfig)" });

  const authMode = at("identity", "authMode") ?? "identityService";
  if (authMode === "workforceIdentity" && at("identity", "workforce") === undefined)
    problems.push({ path: ["identity", "workforce"], found: "nothing", expected: "organizationId and poolId, because identity.authMode is workforceIdentity" });
  if (authMode !== "workforceIdentity" && at("identity", "workforce") !== undefined)
    problems.push({ path: ["identity", "workforce"], found: "a map", expected: "nothing, because identity.authMode is identityService (or set authMode: workforceIdentity)" });

  const create = at("cluster", "create");
  if (create !== undefined && typeof valueAt(create, ["minNodes"]) === "number" && typeof valueAt(create, ["maxNodes"]) === "number" && (valueAt(create, ["maxNodes"]) as number) < (valueAt(create, ["minNodes"]) as number))
    problems.push({ path: ["cluster", "create", "maxNodes"], found: describe(valueAt(create, ["maxNodes"])), expected: "at least cluster.create.minNodes" });

  const emails = valueAt(raw, ["commons", "monitoring", "alertEmails"]);
  if (Array.isArray(emails) && emails.length > 0 && at("commons", "monitoring", "smtp") === undefined)
    problems.push({ path: ["commons", "monitoring", "smtp"], found: "nothing", expected: "smarthost, from and username, because alertEmails is not empty" });

  const mode = at("cnpg", "cluster", "mode") ?? "primary";
  const needs = { replica: "replicaOf", restore: "restore" } as const;
  for (const [m, key] of Object.entries(needs)) {
    const given = at("cnpg", "cluster", key) !== undefined;
    if (mode === m && !given)
      problems.push({ path: ["cnpg", "cluster", key], found: "nothing", expected: `the serverName (and bucket) to ${m === "replica" ? "follow" : "restore from"}, because cnpg.cluster.mode is ${m}` });
    if (mode !== m && given)
      problems.push({ path: ["cnpg", "cluster", key], found: "a map", expected: `nothing, because cnpg.cluster.mode is ${String(mode)} (or set mode: ${m})` });
  }
  const roleList = (at("cnpg", "roles") as unknown[] | undefined) ?? [];
  roleList.forEach((r, i) => {
    const name = valueAt(r, ["name"]);
    if (typeof name === "string" && (name === "anon" || name === "authenticator" || name.startsWith("org_")))
      problems.push({ path: ["cnpg", "roles", i, "name"], found: describe(name), expected: "a name the API does not use (anon, authenticator and org_* are its roles)" });
  });
  const roleNames = new Set(roleList.map((r) => valueAt(r, ["name"])));
  const dbs = at("cnpg", "databases");
  if (Array.isArray(dbs)) {
    dbs.forEach((d, i) => {
      const owner = valueAt(d, ["owner"]);
      if (typeof owner === "string" && !roleNames.has(owner))
        problems.push({ path: ["cnpg", "databases", i, "owner"], found: describe(owner), expected: "a role listed in cnpg.roles" });
    });
  }

  const tables = at("mockDataApi", "tables");
  const tableNames = new Set(Array.isArray(tables) ? tables.map((t) => valueAt(t, ["name"])) : []);
  const checkGrants = (grants: unknown, basePath: PropertyKey[]) => {
    if (!Array.isArray(grants)) return;
    grants.forEach((g, i) => {
      const table = valueAt(g, ["table"]);
      if (typeof table === "string" && !tableNames.has(table))
        problems.push({ path: [...basePath, i, "table"], found: describe(table), expected: "a table listed in mockDataApi.tables" });
    });
  };
  checkGrants(at("mockDataApi", "anonymous"), ["mockDataApi", "anonymous"]);
  const clients = at("mockDataApi", "clients");
  if (Array.isArray(clients)) clients.forEach((c, i) => checkGrants(valueAt(c, ["grants"]), ["mockDataApi", "clients", i, "grants"]));
  if (Array.isArray(tables)) {
    tables.forEach((t, i) => {
      const cols = valueAt(t, ["columns"]);
      if (Array.isArray(cols) && valueAt(t, ["shared"]) === true && cols.some((c) => valueAt(c, ["name"]) === "org"))
        problems.push({ path: ["mockDataApi", "tables", i, "columns"], found: 'a column named "org"', expected: "no org column: a shared table gets its own" });
    });
  }

  if (at("mockDataApi", "loader", "target") === "old-data" && at("cnpg", "oldData", "enabled") !== true)
    problems.push({ path: ["mockDataApi", "loader", "target"], found: '"old-data"', expected: '"api", or enable cnpg.oldData' });

  const unique = (listPath: PropertyKey[], field?: string) => {
    const list = valueAt(raw, listPath);
    if (!Array.isArray(list)) return;
    const first = new Map<unknown, number>();
    list.forEach((item, i) => {
      const name = field ? valueAt(item, [field]) : item;
      if (typeof name !== "string") return;
      const itemPath = field ? [...listPath, i, field] : [...listPath, i];
      if (first.has(name)) {
        const firstPath = field ? [...listPath, first.get(name)!, field] : [...listPath, first.get(name)!];
        problems.push({ path: itemPath, found: describe(name), expected: `a name not used before (${formatPath(firstPath)} has it)` });
      } else first.set(name, i);
    });
  };
  unique(["cluster", "authorizedNetworks"], "name");
  unique(["identity", "namespaces"]);
  unique(["commons", "monitoring", "alertEmails"]);
  unique(["cnpg", "roles"], "name");
  unique(["cnpg", "databases"], "name");
  unique(["mockDataApi", "tables"], "name");
  unique(["mockDataApi", "clients"], "name");
  return problems;
}

/**
 * Validates a parsed config. `file` names the source in messages (`config/<env>.yaml`).
 * Throws {@link ConfigError} with every problem; returns the config with defaults filled in.
 */
export function validateConfig(raw: unknown, file: string): EnvironmentConfig {
  const result = configSchema.safeParse(raw);
  const problems = result.success ? [] : result.error.issues.flatMap((issue) => problemsOf(issue, raw));
  if (raw !== null && typeof raw === "object" && !Array.isArray(raw)) problems.push(...crossFieldProblems(raw as Record<string, unknown>));
  if (problems.length > 0) {
    const seen = new Set<string>();
    const lines = problems
      .map((p) => `${file}: ${formatPath(p.path)}: ${p.found}, expected ${p.expected}`)
      .filter((line) => !seen.has(line) && seen.add(line));
    throw new ConfigError(lines);
  }
  return result.data!;
}

/** Parses YAML text; syntax errors become problems with their line. */
export function parseConfigText(text: string, file: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => `${file}: line ${e.linePos?.[0].line ?? "?"}: ${e.message.split("\n")[0]}, expected valid YAML`),
    );
  }
  return doc.toJS();
}

/** Names of the environments that have a file in `config/` (`example` for `config/example.yaml`). */
export function listEnvironments(root = process.cwd()): string[] {
  return fs
    .readdirSync(path.join(root, CONFIG_DIR))
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => f.slice(0, -".yaml".length))
    .sort();
}

/** Loads one environment from `config/<name>.yaml` under `root`. */
export function loadEnvironment(name: string, root = process.cwd()): Environment {
  const file = `${CONFIG_DIR}/${name}.yaml`;
  if (!ENV_NAME.test(name))
    throw new ConfigError([`${file}: (file name): ${JSON.stringify(name)}, expected an environment name of lowercase letters and digits, at most 12, starting with a letter`]);
  const full = path.join(root, file);
  if (!fs.existsSync(full)) {
    const known = fs.existsSync(path.join(root, CONFIG_DIR)) ? listEnvironments(root) : [];
    throw new ConfigError([`${file}: (file): nothing, expected a config file (known environments: ${known.join(", ") || "none"})`]);
  }
  const raw = parseConfigText(fs.readFileSync(full, "utf8"), file);
  return { name, config: validateConfig(raw, file) };
}

/** Loads every environment of `config/`, reporting the problems of all files at once. */
export function loadAllEnvironments(root = process.cwd()): Environment[] {
  const environments: Environment[] = [];
  const problems: string[] = [];
  for (const name of listEnvironments(root)) {
    try {
      environments.push(loadEnvironment(name, root));
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      problems.push(...e.problems);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return environments;
}
