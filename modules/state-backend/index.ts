/**
 * Where a stack keeps its Terraform state (DESIGN §3). Real environments use one GCS bucket (created by the
 * bootstrap stack) with the prefix `<env>/<stack>`; the offline `example` environment keeps local state files
 * in the project root (`terraform.<stack id>.tfstate`, ignored by git).
 */
import * as path from "node:path";
import { GcsBackend, LocalBackend, TerraformStack } from "cdktf";

export type StateBackendProps =
  | { readonly kind: "local" }
  | {
      readonly kind: "gcs";
      /** The state bucket. */
      readonly bucket: string;
      /** Object prefix of this stack's state: `<env>/<stack>`. */
      readonly prefix: string;
    };

/** Sets the backend of `stack`. Called once per stack, by the stack itself. */
export function useStateBackend(stack: TerraformStack, props: StateBackendProps): void {
  if (props.kind === "gcs") {
    new GcsBackend(stack, { bucket: props.bucket, prefix: props.prefix });
  } else {
    // Relative to the stack's working directory (cdktf.out/stacks/<id>), so that state stays out of cdktf.out.
    const stateFile = path.join("..", "..", "..", `terraform.${stack.node.id}.tfstate`);
    new LocalBackend(stack, { path: stateFile });
  }
}
