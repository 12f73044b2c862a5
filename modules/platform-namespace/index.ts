/**
 * PlatformNamespace: a namespace the platform owns, with its Pod Security Standards labels (enforce, audit and
 * warn at the same level: `restricted` unless lib/pod-security.ts lists an exception with its reason).
 */
import { Construct } from "constructs";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import type { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { podSecurityLevel } from "../../lib/pod-security";

export interface PlatformNamespaceProps {
  readonly name: string;
  readonly provider: KubernetesProvider;
  /** Extra labels. */
  readonly labels?: Record<string, string>;
}

/** The Pod Security admission labels for `level`, pinned to the cluster's version of the standards. */
export function podSecurityLabels(level: string): Record<string, string> {
  return Object.fromEntries(
    ["enforce", "audit", "warn"].flatMap((mode) => [
      [`pod-security.kubernetes.io/${mode}`, level],
      [`pod-security.kubernetes.io/${mode}-version`, "latest"],
    ]),
  );
}

export class PlatformNamespace extends Construct {
  readonly name: string;
  readonly resource: NamespaceV1;

  constructor(scope: Construct, id: string, props: PlatformNamespaceProps) {
    super(scope, id);
    this.name = props.name;
    this.resource = new NamespaceV1(this, "namespace", {
      provider: props.provider,
      metadata: {
        name: props.name,
        labels: {
          "app.kubernetes.io/managed-by": "platform-bootstrap",
          ...props.labels,
          ...podSecurityLabels(podSecurityLevel(props.name)),
        },
      },
    });
  }
}
