/**
 * HCL tfvars: read with HashiCorp's own HCL parser (compiled to WebAssembly, @cdktf/hcl2json), written by a small
 * serializer that quotes and escapes every value (an unquoted value is invalid HCL: DESIGN §13).
 */
import { parse } from "@cdktf/hcl2json";
import { SecretsError } from "./crypto";

export type TfvarsValue = string | number | boolean | null | TfvarsValue[] | { [key: string]: TfvarsValue };
export type Tfvars = Record<string, TfvarsValue>;

/**
 * hcl2json returns strings in template-source form: a literal `${` comes back as `$${`, a real interpolation as
 * `${`. tfvars take literal values only (Terraform refuses expressions there), so an unescaped interpolation is an
 * error and the escapes are undone.
 */
function literal(value: unknown, where: string, problems: string[]): TfvarsValue {
  if (typeof value === "string") {
    if (/(^|[^$])\$\{|(^|[^%])%\{/.test(value)) {
      problems.push(`${where}: an expression or template; tfvars take literal values only (write a literal \${ as $\${)`);
      return value;
    }
    return value.replace(/\$\$\{/g, () => "${").replace(/%%\{/g, () => "%{");
  }
  if (Array.isArray(value)) return value.map((v, i) => literal(v, `${where}[${i}]`, problems));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, literal(v, `${where}.${k}`, problems)]));
  }
  return value as TfvarsValue;
}

/** Parses tfvars text; syntax errors come back as `file:line:column: summary; detail`, all at once. */
export async function parseTfvars(text: string, file: string): Promise<Tfvars> {
  let raw: Record<string, unknown>;
  try {
    raw = (await parse(file, text)) as Record<string, unknown>;
  } catch (e) {
    const message = String((e as Error).message ?? e).replace(/^parse config: \[/, "").replace(/\]$/, "");
    const escaped = file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    const lines = message
      .split(new RegExp(`\\s*(?=${escaped}:\\d+,\\d+(?:-\\d+(?:,\\d+)?)?: )`))
      .filter(Boolean)
      .map((d) => d.replace(new RegExp(`^${escaped}:(\\d+),(\\d+)(?:-\\d+(?:,\\d+)?)?: `), `${file}:$1:$2: `).replace(/\.$/, ""));
    throw new SecretsError(lines.length ? lines : [`${file}: ${message}`]);
  }
  const problems: string[] = [];
  const values = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, literal(v, `${file}: ${k}`, problems)]));
  if (problems.length) throw new SecretsError(problems);
  return values;
}

function quote(text: string): string {
  // (replacer functions: in a replacement string "$$" would mean a single "$")
  return JSON.stringify(text).replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}

function render(value: TfvarsValue, indent: string): string {
  if (value === null) return "null";
  if (typeof value === "string") return quote(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`tfvars: ${value} is not a finite number`);
    return String(value);
  }
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => render(v, indent)).join(", ")}]`;
  const inner = `${indent}  `;
  const entries = Object.entries(value).map(([k, v]) => `${inner}${/^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? k : quote(k)} = ${render(v, inner)}`);
  return entries.length ? `{\n${entries.join("\n")}\n${indent}}` : "{}";
}

/** Serializes values as tfvars, keys sorted, every string quoted and escaped. */
export function stringifyTfvars(values: Tfvars, header?: string): string {
  const lines = Object.keys(values)
    .sort()
    .map((key) => {
      if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) throw new Error(`tfvars: "${key}" is not a valid variable name`);
      return `${key} = ${render(values[key], "")}`;
    });
  return `${header ? `${header.replace(/^/gm, "# ")}\n` : ""}${lines.join("\n")}\n`;
}

/** A value as Terraform reads it from `TF_VAR_<name>`: strings raw, anything else in HCL syntax. */
export function toEnvValue(value: TfvarsValue): string {
  return typeof value === "string" ? value : render(value, "");
}
