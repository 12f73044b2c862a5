/**
 * SecretVariable: a secret input of a stack (DESIGN §3). It is a sensitive Terraform variable with a
 * description and no default; its value reaches Terraform only at deploy/diff time, as `TF_VAR_<name>` set by
 * `npm run deploy|diff` from `secrets/<env>.tfvars.gpg`. Never read a secret any other way: a value known at
 * synth time would be written into cdktf.out.
 */
import { TerraformVariable } from "cdktf";
import { Construct } from "constructs";

export interface SecretVariableProps {
  /** What the value is and where it comes from; shown by `terraform plan` and `npm run secrets -- check`. */
  readonly description: string;
  /** Terraform type; default `string`. */
  readonly type?: "string" | "number" | "map(string)" | "list(string)";
  /** Refuse shorter values at plan time (a string secret). */
  readonly minLength?: number;
}

const NAME = /^[a-z][a-z0-9_]*$/;

export class SecretVariable extends Construct {
  readonly variable: TerraformVariable;
  /** The variable's name: its key in `secrets/<env>.tfvars.gpg` and its `TF_VAR_` suffix. */
  readonly name: string;

  /** `id` is the variable name, the key in the tfvars file: lowercase snake_case. */
  constructor(scope: Construct, id: string, props: SecretVariableProps) {
    super(scope, id);
    if (!NAME.test(id)) throw new Error(`SecretVariable "${id}": the name must be lowercase snake_case (it is a tfvars key)`);
    if (!props.description.trim()) throw new Error(`SecretVariable "${id}": give it a description`);
    this.variable = new TerraformVariable(this, "variable", {
      type: props.type ?? "string",
      description: props.description,
      sensitive: true,
      nullable: false,
      validation: props.minLength
        ? [{ condition: `\${length(var.${id}) >= ${props.minLength}}`, errorMessage: `${id} must be at least ${props.minLength} characters long.` }]
        : undefined,
    });
    // The Terraform name is the tfvars key, wherever the construct sits in the tree.
    this.variable.overrideLogicalId(id);
    this.name = id;
  }

  /** The value as a string token, for resource attributes. */
  get value(): string {
    return this.variable.stringValue;
  }
}
