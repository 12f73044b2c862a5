/**
 * HelmChart: a Helm release of a chart pinned in lib/versions.ts, with typed values serialized once to YAML.
 * Secrets never go into values: charts read them from Kubernetes Secrets (existingSecret-style keys).
 */
import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import type { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { Release } from "@cdktf/provider-helm/lib/release";
import { stringify } from "yaml";
import type { ChartPin } from "../../lib/versions";
import type { PlatformNamespace } from "../platform-namespace";

export interface HelmChartProps {
  readonly chart: ChartPin;
  /** Release name; default the construct id. */
  readonly releaseName?: string;
  /** The namespace, created by the stack before the release. */
  readonly namespace: PlatformNamespace;
  readonly provider: HelmProvider;
  /** The chart's values, at the chart's own paths. */
  readonly values: object;
  /**
   * Wait until the release's workloads are ready. Default true: later releases and stacks rely on what this one
   * installs (CRDs, webhooks, services).
   */
  readonly wait?: boolean;
  /** Seconds Helm may take; default 600 (images pulled on fresh nodes, volumes provisioned). */
  readonly timeoutSeconds?: number;
  /** Only where the ordering is real: CRDs before their resources, an operator before its clusters. */
  readonly dependsOn?: ITerraformDependable[];
}

export class HelmChart extends Construct {
  readonly release: Release;

  constructor(scope: Construct, id: string, props: HelmChartProps) {
    super(scope, id);
    this.release = new Release(this, "release", {
      provider: props.provider,
      name: props.releaseName ?? id,
      namespace: props.namespace.name,
      chart: props.chart.chart,
      repository: props.chart.repository,
      version: props.chart.version,
      values: [stringify(props.values, { lineWidth: 0 })],
      wait: props.wait ?? true,
      timeout: props.timeoutSeconds ?? 600,
      atomic: false,
      cleanupOnFail: true,
      maxHistory: 10,
      createNamespace: false,
      dependsOn: [props.namespace.resource, ...(props.dependsOn ?? [])],
    });
  }
}
