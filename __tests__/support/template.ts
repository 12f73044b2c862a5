/**
 * Template: reads what a stack hands to Terraform (its synthesized JSON) so that tests say what they check:
 * `template.resources("helm_release")`, `template.helmValues("loki")`, `template.outputs()`.
 */
import { Testing, type TerraformStack } from "cdktf";
import { parse as parseYaml } from "yaml";

export type Block = Record<string, any>;

/** A resource or data source block with its logical id. */
export interface Element extends Block {
  readonly $id: string;
}

export class Template {
  /** Synthesizes `stack` (no files written) and wraps its JSON. */
  static of(stack: TerraformStack): Template {
    return new Template(JSON.parse(Testing.synth(stack)));
  }

  constructor(readonly json: Block) {}

  /** The string cdktf's matchers take (`expect(template.synthesized).toHaveResource(...)`). */
  get synthesized(): string {
    return JSON.stringify(this.json);
  }

  private elements(kind: "resource" | "data", type: string): Element[] {
    const byId: Record<string, Block> = this.json[kind]?.[type] ?? {};
    return Object.entries(byId).map(([$id, block]) => ({ $id, ...block }));
  }

  /** Every resource of a Terraform type, e.g. `google_storage_bucket`. */
  resources(type: string): Element[] {
    return this.elements("resource", type);
  }

  /** Every data source of a Terraform type (without the `data.` prefix). */
  dataSources(type: string): Element[] {
    return this.elements("data", type);
  }

  /** Resource types present in the stack, sorted. */
  resourceTypes(): string[] {
    return Object.keys(this.json.resource ?? {}).sort();
  }

  /** The one resource of `type` whose attributes contain `match`; fails loudly when there is not exactly one. */
  resource(type: string, match: Block = {}): Element {
    const found = this.resources(type).filter((r) => Object.entries(match).every(([k, v]) => JSON.stringify(r[k]) === JSON.stringify(v)));
    if (found.length !== 1) throw new Error(`expected one ${type} matching ${JSON.stringify(match)}, found ${found.length}`);
    return found[0];
  }

  /** Provider blocks of a type (`google`, `kubernetes`, `helm`, `azuread`); several when aliased. */
  providers(type: string): Block[] {
    return this.json.provider?.[type] ?? [];
  }

  /** Provider types configured in the stack, sorted. */
  providerTypes(): string[] {
    return Object.keys(this.json.provider ?? {}).sort();
  }

  /** `{ type: "gcs", config: { bucket, prefix } }` */
  backend(): { type: string; config: Block } {
    const backends = Object.entries(this.json.terraform?.backend ?? {});
    if (backends.length !== 1) throw new Error(`expected one backend, found ${backends.length}`);
    return { type: backends[0][0], config: backends[0][1] as Block };
  }

  outputs(): Record<string, Block> {
    return this.json.output ?? {};
  }

  variables(): Record<string, Block> {
    return this.json.variable ?? {};
  }

  /**
   * The values of the helm_release named `name`, as Helm merges them: every `values` document in order,
   * then each `set` entry on top (sensitive `set_sensitive` entries are left out: they never hold literals).
   */
  helmValues(name: string): Block {
    const release = this.resource("helm_release", { name });
    let merged: Block = {};
    for (const doc of release.values ?? []) merged = deepMerge(merged, (parseYaml(doc) as Block) ?? {});
    for (const entry of release.set ?? []) setPath(merged, String(entry.name), entry.value);
    return merged;
  }
}

function deepMerge(a: Block, b: Block): Block {
  const out: Block = { ...a };
  for (const [k, v] of Object.entries(b)) {
    out[k] = isPlainObject(v) && isPlainObject(out[k]) ? deepMerge(out[k], v) : v;
  }
  return out;
}

function isPlainObject(v: unknown): v is Block {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function setPath(target: Block, dotted: string, value: unknown): void {
  const keys = dotted.split(/(?<!\\)\./).map((k) => k.replace(/\\\./g, "."));
  let cur = target;
  keys.slice(0, -1).forEach((k) => {
    if (!isPlainObject(cur[k])) cur[k] = {};
    cur = cur[k];
  });
  cur[keys[keys.length - 1]] = value;
}
