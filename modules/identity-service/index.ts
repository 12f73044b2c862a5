/**
 * IdentityService: GKE Identity Service's OIDC configuration, managed by code (DESIGN §6). GKE creates the
 * ClientConfig `kube-public/default` when Identity Service is enabled on the cluster; Terraform adopts it (an
 * import block) and owns only `spec.authentication` (server-side apply, conflicts forced), leaving the fields GKE
 * sets (`spec.name`, `spec.server`, `spec.certificateAuthorityData`) alone. It is never destroyed by a plan.
 *
 * It also writes login_config.yaml at the project root (0600, gitignored) for the platform team to hand out.
 */
import * as path from "node:path";
import { Construct } from "constructs";
import { Fn, TerraformStack } from "cdktf";
import { SensitiveFile } from "@cdktf/provider-local/lib/sensitive-file";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import type { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { loginConfig, oidcAuthentication, renderLoginConfig, type LoginConfigProps } from "../../lib/login-config";

export interface IdentityServiceProps extends LoginConfigProps {
  readonly provider: KubernetesProvider;
}

export const CLIENT_CONFIG_ID = "apiVersion=authentication.gke.io/v2alpha1,kind=ClientConfig,namespace=kube-public,name=default";

export class IdentityService extends Construct {
  readonly clientConfig: Manifest;

  constructor(scope: Construct, id: string, props: IdentityServiceProps) {
    super(scope, id);
    // Fails the synth if the file colleagues receive would break one of Google's rules.
    renderLoginConfig({ ...props, server: props.server ? "https://203.0.113.1" : undefined, certificateAuthorityData: props.certificateAuthorityData ? "Q0E=" : undefined });

    this.clientConfig = new Manifest(this, "client-config", {
      provider: props.provider,
      manifest: {
        apiVersion: "authentication.gke.io/v2alpha1",
        kind: "ClientConfig",
        metadata: { name: "default", namespace: "kube-public" },
        spec: { authentication: [oidcAuthentication(props)] },
      },
      fieldManager: { name: "platform-bootstrap", forceConflicts: true },
      lifecycle: { preventDestroy: true },
    });
    // An import block (Terraform ≥ 1.5), written directly: cdktf's importFrom() adds a validation that runs
    // `terraform version` at synth, which must work without Terraform.
    TerraformStack.of(this).addOverride("import", [{ to: `kubernetes_manifest.${this.clientConfig.friendlyUniqueId}`, id: CLIENT_CONFIG_ID }]);

    new SensitiveFile(this, "login-config", {
      // Relative to the stack's working directory, cdktf.out/stacks/<stack>: the project root.
      filename: path.join("..", "..", "..", "login_config.yaml"),
      content: Fn.yamlencode(loginConfig(props)),
      filePermission: "0600",
    });
  }
}
