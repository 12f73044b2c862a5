/**
 * KubernetesSecret: a Secret whose values come from sensitive Terraform variables (DESIGN §3): charts read it by
 * name (existingSecret-style keys), so no secret value is ever in Helm values or a ConfigMap.
 */
import { Construct } from "constructs";
import type { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import type { PlatformNamespace } from "../platform-namespace";

export interface KubernetesSecretProps {
  readonly provider: KubernetesProvider;
  readonly namespace: PlatformNamespace;
  readonly name: string;
  /** Key → value; values are variable references (SecretVariable.value), never literals. */
  readonly data: Record<string, string>;
}

export class KubernetesSecret extends Construct {
  readonly name: string;
  readonly resource: SecretV1;

  constructor(scope: Construct, id: string, props: KubernetesSecretProps) {
    super(scope, id);
    this.name = props.name;
    this.resource = new SecretV1(this, "secret", {
      provider: props.provider,
      metadata: {
        name: props.name,
        namespace: props.namespace.name,
        labels: { "app.kubernetes.io/managed-by": "platform-bootstrap" },
      },
      type: "Opaque",
      data: props.data,
      dependsOn: [props.namespace.resource],
    });
  }
}
