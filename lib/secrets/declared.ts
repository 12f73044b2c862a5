/**
 * The variables the stacks of an environment declare: what `secrets check` compares a tfvars file with, and
 * which `TF_VAR_*` the deploy/diff wrappers hand to each stack. Read from the synthesized JSON of each stack
 * (in memory), so it is exactly what Terraform will ask for.
 */
import * as os from "node:os";
import { App, TerraformStack } from "cdktf";
import type { Environment } from "../config";
import { definePlatform } from "../../stacks";

export interface DeclaredVariable {
  readonly name: string;
  readonly stack: string;
  readonly description: string;
  readonly sensitive: boolean;
  /** No default: Terraform cannot plan without a value. */
  readonly required: boolean;
}

/** Variables of one synthesized stack. */
export function variablesOf(stack: TerraformStack): DeclaredVariable[] {
  const json = stack.toTerraform() as { variable?: Record<string, { description?: string; sensitive?: boolean; default?: unknown }> };
  return Object.entries(json.variable ?? {}).map(([name, v]) => ({
    name,
    stack: stack.node.id,
    description: v.description ?? "",
    sensitive: v.sensitive === true,
    required: !("default" in v),
  }));
}

/** Every variable of every stack of `environment`, by stack id. */
export function declaredVariables(environment: Environment, root = process.cwd()): Map<string, DeclaredVariable[]> {
  // Nothing is written: the app is never synthesized to disk (an existing outdir is not created either).
  const stacks = definePlatform(new App({ outdir: os.tmpdir(), skipValidation: true }), environment, { root });
  return new Map(Object.values(stacks).map((stack) => [stack.node.id, variablesOf(stack)]));
}
