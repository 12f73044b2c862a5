/**
 * PostgresCluster: a CloudNativePG cluster through the `cluster` chart (its CRDs come from the operator's release,
 * possibly in the same stack, so the Cluster cannot be a kubernetes_manifest), backed up through the Barman Cloud
 * plugin to a bucket of its own with Workload Identity: WAL archiving continuously, a base backup daily.
 * Superuser access is off.
 */
import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import type { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { CHARTS, IMAGES } from "../../lib/versions";
import { HelmChart } from "../helm-chart";
import { PlatformBucket } from "../platform-bucket";
import type { PlatformNamespace } from "../platform-namespace";
import { WorkloadIdentity } from "../workload-identity";

export const BARMAN_CLOUD_PLUGIN = "barman-cloud.cloudnative-pg.io";

export interface PostgresClusterProps {
  readonly helm: HelmProvider;
  readonly namespace: PlatformNamespace;
  /** Cluster name: its services are `<name>-rw`, `<name>-ro`; its app Secret `<name>-app`. */
  readonly name: string;
  readonly project: string;
  readonly region: string;
  readonly environment: string;
  readonly instances: number;
  readonly storage: string;
  readonly storageClass: string;
  /** Application database and its owner role. */
  readonly database: string;
  /** Base backups and WAL kept this long (`30d`). */
  readonly backupRetention: string;
  /** Six-field cron (seconds first); default daily at 02:00. */
  readonly backupSchedule?: string;
  /** The operator and plugin releases. */
  readonly dependsOn: ITerraformDependable[];
}

export class PostgresCluster extends Construct {
  readonly chart: HelmChart;
  readonly bucket: PlatformBucket;
  readonly identity: WorkloadIdentity;
  readonly name: string;

  constructor(scope: Construct, id: string, props: PostgresClusterProps) {
    super(scope, id);
    this.name = props.name;
    this.bucket = new PlatformBucket(this, "backups", {
      project: props.project,
      name: `${props.project}-${props.environment}-${props.name}-backups`,
      location: props.region,
    });
    // Instance pods run as a service account named like the cluster.
    this.identity = new WorkloadIdentity(this, "identity", {
      project: props.project,
      accountId: `${props.environment}-${props.name}`.slice(0, 30).replace(/-$/, ""),
      displayName: `PostgreSQL ${props.name} backups (${props.environment})`,
      namespace: props.namespace.name,
      kubernetesServiceAccount: props.name,
    });
    const grant = this.bucket.grant("backups", this.identity.member);
    const plugin = { name: BARMAN_CLOUD_PLUGIN };

    this.chart = new HelmChart(this, "cluster", {
      chart: CHARTS.cnpgCluster,
      releaseName: props.name,
      namespace: props.namespace,
      provider: props.helm,
      dependsOn: [grant, ...props.dependsOn],
      values: {
        fullnameOverride: props.name,
        type: "postgresql",
        version: { postgresql: IMAGES.postgresql.tag.split(".")[0] },
        mode: "standalone",
        cluster: {
          instances: props.instances,
          imageName: `${IMAGES.postgresql.repository}:${IMAGES.postgresql.tag}`,
          storage: { size: props.storage, storageClass: props.storageClass },
          enableSuperuserAccess: false,
          initdb: { database: props.database, owner: props.database },
          serviceAccountTemplate: { metadata: { annotations: this.identity.annotations } },
          monitoring: { enabled: true },
          resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "1Gi" } },
        },
        backups: {
          enabled: true,
          method: "plugin",
          pluginConfiguration: plugin,
          provider: "google",
          google: { bucket: this.bucket.name, path: `/${props.name}`, gkeEnvironment: true },
          // Workload Identity: no credentials Secret (the chart would create an empty one).
          secret: { create: false },
          // Server-side encryption settings are S3's; GCS encrypts every object.
          wal: { compression: "gzip", encryption: "", maxParallel: 2 },
          data: { compression: "gzip", encryption: "", jobs: 2 },
          retentionPolicy: props.backupRetention,
          scheduledBackups: [
            { name: "daily", schedule: props.backupSchedule ?? "0 0 2 * * *", backupOwnerReference: "self", method: "plugin", pluginConfiguration: plugin },
          ],
        },
      },
    });
  }

  /** The CloudNativePG-generated Secret of the application role (keys username, password, uri...). */
  get appSecret(): string {
    return `${this.name}-app`;
  }

  /** The read-write service (the primary). */
  get primaryHost(): string {
    return `${this.name}-rw`;
  }
}
