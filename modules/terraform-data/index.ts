/**
 * TerraformData: Terraform's built-in `terraform_data` resource (Terraform ≥ 1.4). cdktf's own DataResource adds a
 * validation that runs `terraform version` at every synth: synthesis would then need a Terraform binary (it must
 * not: `npm run synth` works on a fresh clone) and pay a process start. This class is the same resource without it.
 */
import { Construct } from "constructs";
import { TerraformResource } from "cdktf";

export interface TerraformDataProps {
  readonly input?: Record<string, string>;
  /** A change of any value replaces the resource (a new `id`). */
  readonly triggersReplace?: Record<string, string>;
}

export class TerraformData extends TerraformResource {
  constructor(scope: Construct, id: string, private readonly props: TerraformDataProps) {
    super(scope, id, { terraformResourceType: "terraform_data" });
  }

  /** A random UUID, new at every replacement. */
  get id(): string {
    return this.getStringAttribute("id");
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { input: this.props.input, triggers_replace: this.props.triggersReplace };
  }
}
