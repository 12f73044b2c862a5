/**
 * CloudNativePG: the operator (its CRDs through the chart, cluster-wide) and the Barman Cloud plugin (backups to
 * object storage through `ObjectStore` resources; the in-tree barmanObjectStore is deprecated). The plugin needs
 * cert-manager for its certificates and must live in the operator's namespace.
 */
import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import type { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { CHARTS } from "../../lib/versions";
import { HelmChart } from "../helm-chart";
import type { PlatformNamespace } from "../platform-namespace";

export interface CloudNativePgProps {
  readonly helm: HelmProvider;
  readonly namespace: PlatformNamespace;
  /** The kube-prometheus-stack release (PodMonitor and dashboard CRDs). */
  readonly monitoring: ITerraformDependable;
  /** The cert-manager release (the plugin's certificates). */
  readonly certManager: ITerraformDependable;
}

export class CloudNativePg extends Construct {
  readonly operator: HelmChart;
  readonly barmanCloud: HelmChart;

  constructor(scope: Construct, id: string, props: CloudNativePgProps) {
    super(scope, id);
    this.operator = new HelmChart(this, "cloudnative-pg", {
      chart: CHARTS.cloudnativePg,
      namespace: props.namespace,
      provider: props.helm,
      dependsOn: [props.monitoring],
      values: {
        crds: { create: true },
        config: { clusterWide: true },
        resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "512Mi" } },
        monitoring: { podMonitorEnabled: true, grafanaDashboard: { create: true } },
      },
    });
    this.barmanCloud = new HelmChart(this, "plugin-barman-cloud", {
      chart: CHARTS.barmanCloudPlugin,
      namespace: props.namespace,
      provider: props.helm,
      dependsOn: [this.operator.release, props.certManager],
      values: {
        crds: { create: true },
        resources: { requests: { cpu: "20m", memory: "64Mi" }, limits: { memory: "256Mi" } },
      },
    });
  }
}
