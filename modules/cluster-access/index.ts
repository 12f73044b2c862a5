/**
 * ClusterAccess: the one place that gives Terraform's Kubernetes and Helm providers their credentials
 * (DESIGN §4). Every stack that manages in-cluster objects creates exactly one.
 *
 * - `gke` mode: endpoint and CA certificate from `data google_container_cluster` (by name and location) and a
 *   short-lived OAuth access token from `data google_client_config` (the identity running Terraform: a user's
 *   `gcloud auth application-default login`, or CI's Workload Identity Federation). No static token, no
 *   kubeconfig written to disk; the token is read at plan time and never stored in configuration.
 * - `kubeconfig` mode: a context of an existing kubeconfig file (a local kind cluster, a cluster in another cloud).
 */
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { DataGoogleClientConfig } from "@cdktf/provider-google/lib/data-google-client-config";
import { DataGoogleContainerCluster } from "@cdktf/provider-google/lib/data-google-container-cluster";
import type { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";

export type ClusterAccessProps =
  | {
      readonly mode: "gke";
      /** GKE cluster name. */
      readonly clusterName: string;
      /** Region or zone of the cluster. */
      readonly location: string;
      /** Google project of the cluster. */
      readonly project: string;
      /** The Google provider that reads the cluster; the stack's default provider when omitted. */
      readonly googleProvider?: GoogleProvider;
    }
  | {
      readonly mode: "kubeconfig";
      /** Path of the kubeconfig file; `~` is expanded by the providers. */
      readonly path: string;
      /** Context to use; never the file's current context, so that a command cannot reach the wrong cluster. */
      readonly context: string;
    };

export class ClusterAccess extends Construct {
  /** Provider for `kubernetes_*` resources of the stack. */
  readonly kubernetes: KubernetesProvider;
  /** Provider for `helm_release` resources of the stack. */
  readonly helm: HelmProvider;
  /** In gke mode: the cluster's API endpoint (`https://…`) and CA certificate (base64 PEM), read at plan time. */
  readonly gke?: { readonly server: string; readonly certificateAuthorityData: string };

  constructor(scope: Construct, id: string, props: ClusterAccessProps) {
    super(scope, id);
    if (props.mode === "gke") {
      const cluster = new DataGoogleContainerCluster(this, "cluster", {
        name: props.clusterName,
        location: props.location,
        project: props.project,
        provider: props.googleProvider,
      });
      const client = new DataGoogleClientConfig(this, "client", { provider: props.googleProvider });
      const connection = {
        host: `https://${cluster.endpoint}`,
        token: client.accessToken,
        clusterCaCertificate: Fn.base64decode(cluster.masterAuth.get(0).clusterCaCertificate),
      };
      this.kubernetes = new KubernetesProvider(this, "kubernetes", connection);
      this.helm = new HelmProvider(this, "helm", { kubernetes: connection });
      this.gke = { server: connection.host, certificateAuthorityData: cluster.masterAuth.get(0).clusterCaCertificate };
    } else {
      if (!props.context) throw new Error("ClusterAccess: kubeconfig mode needs a context (cluster.kubeconfig.context in config)");
      const connection = { configPath: props.path, configContext: props.context };
      this.kubernetes = new KubernetesProvider(this, "kubernetes", connection);
      this.helm = new HelmProvider(this, "helm", { kubernetes: connection });
    }
  }
}
