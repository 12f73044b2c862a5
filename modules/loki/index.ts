/**
 * Loki (the OSS chart, grafana-community) storing chunks and ruler data in GCS buckets created here, reached
 * through Workload Identity (no JSON key). Multi-tenant: every push and query names its tenant (X-Scope-OrgID).
 * Retention is enforced by the compactor. Monolithic by default; simple-scalable (read, write, backend) by config.
 */
import { Construct } from "constructs";
import type { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { CHARTS } from "../../lib/versions";
import { HelmChart } from "../helm-chart";
import { PlatformBucket } from "../platform-bucket";
import type { PlatformNamespace } from "../platform-namespace";
import { WorkloadIdentity } from "../workload-identity";

export interface LokiProps {
  readonly helm: HelmProvider;
  readonly namespace: PlatformNamespace;
  readonly project: string;
  readonly region: string;
  readonly environment: string;
  readonly mode: "monolithic" | "simple-scalable";
  /** Retention as Loki writes it (`744h`). */
  readonly retention: string;
  readonly storageClass: string;
  readonly storage: string;
}

/** Kubernetes service account of Loki (the chart's full name). */
const SERVICE_ACCOUNT = "loki";

export class Loki extends Construct {
  readonly chart: HelmChart;
  readonly chunks: PlatformBucket;
  readonly ruler: PlatformBucket;
  readonly identity: WorkloadIdentity;
  /** Where clients push logs. */
  readonly pushUrl: string;
  /** Where Grafana queries. */
  readonly queryUrl: string;

  constructor(scope: Construct, id: string, props: LokiProps) {
    super(scope, id);
    const bucket = (bid: string) =>
      new PlatformBucket(this, bid, { project: props.project, name: `${props.project}-${props.environment}-loki-${bid}`, location: props.region });
    this.chunks = bucket("chunks");
    this.ruler = bucket("ruler");
    this.identity = new WorkloadIdentity(this, "identity", {
      project: props.project,
      accountId: `${props.environment}-loki`,
      displayName: `Loki (${props.environment})`,
      namespace: props.namespace.name,
      kubernetesServiceAccount: SERVICE_ACCOUNT,
    });
    const grants = [this.chunks.grant("loki", this.identity.member), this.ruler.grant("loki", this.identity.member)];

    const ns = props.namespace.name;
    const monolithic = props.mode === "monolithic";
    this.pushUrl = `http://${monolithic ? "loki" : "loki-write"}.${ns}.svc.cluster.local:3100/loki/api/v1/push`;
    this.queryUrl = `http://${monolithic ? "loki" : "loki-read"}.${ns}.svc.cluster.local:3100`;
    const volume = { size: props.storage, storageClass: props.storageClass };
    const resources = (memory: string) => ({ requests: { cpu: "100m", memory: "512Mi" }, limits: { memory } });

    this.chart = new HelmChart(this, "loki", {
      chart: CHARTS.loki,
      namespace: props.namespace,
      provider: props.helm,
      dependsOn: grants,
      values: {
        deploymentMode: monolithic ? "Monolithic" : "SimpleScalable",
        loki: {
          auth_enabled: true,
          commonConfig: { replication_factor: monolithic ? 1 : 3 },
          storage: {
            type: "gcs",
            // Documented by the chart (commented out in its values.yaml) and required by its templates.
            bucketNames: { chunks: this.chunks.name, ruler: this.ruler.name },
          },
          schemaConfig: {
            // Quoted on purpose: an unquoted date is a timestamp to YAML 1.1 readers.
            configs: [{ from: "2025-01-01", store: "tsdb", object_store: "gcs", schema: "v13", index: { prefix: "loki_index_", period: "24h" } }],
          },
          compactor: {
            working_directory: "/var/loki/compactor",
            compaction_interval: "10m",
            retention_enabled: true,
            retention_delete_delay: "2h",
            delete_request_store: "gcs",
          },
          structuredConfig: { limits_config: { retention_period: props.retention } },
        },
        serviceAccount: { create: true, name: SERVICE_ACCOUNT, annotations: this.identity.annotations },
        singleBinary: { replicas: monolithic ? 1 : 0, persistence: volume, resources: resources("2Gi") },
        write: { replicas: monolithic ? 0 : 3, persistence: volume, resources: resources("2Gi") },
        read: { replicas: monolithic ? 0 : 2, resources: resources("2Gi") },
        backend: { replicas: monolithic ? 0 : 2, persistence: volume, resources: resources("1Gi") },
        // In-cluster clients send their tenant themselves: the nginx gateway would add nothing.
        gateway: { enabled: false },
        chunksCache: { allocatedMemory: 512 },
        resultsCache: { allocatedMemory: 256 },
        lokiCanary: { enabled: false },
        test: { enabled: false },
      },
    });
  }
}
