/**
 * DataLoader: a suspended CronJob (never runs on its own; run it with
 * `kubectl -n databases create job --from=cronjob/data-loader load-$(date +%s)`) that downloads a dump from the dumps
 * bucket through Workload Identity (gcloud, TLS verified) into bounded scratch space, then loads it into the target
 * database in one transaction (lib/mock-data-api/loader.ts). It runs beside the databases, as their owner.
 */
import { Construct } from "constructs";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { CronJobV1 } from "@cdktf/provider-kubernetes/lib/cron-job-v1";
import type { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { downloadScript, loadScript } from "../../lib/mock-data-api/loader";
import { image, IMAGES } from "../../lib/versions";
import { API_APPS } from "../network-policies";
import { PlatformBucket } from "../platform-bucket";
import { WorkloadIdentity } from "../workload-identity";

export interface DataLoaderProps {
  readonly provider: KubernetesProvider;
  /** The databases' namespace. */
  readonly namespace: string;
  readonly project: string;
  readonly region: string;
  readonly environment: string;
  /** The target cluster: its `<cluster>-app` Secret gives the owner's URI. */
  readonly targetCluster: string;
  readonly object: string;
  readonly scratch: string;
  /** Image with psql and pg_restore (the cluster's PostgreSQL image). */
  readonly postgresImage: string;
}

const restricted = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } };

export class DataLoader extends Construct {
  readonly bucket: PlatformBucket;
  readonly cronJob: CronJobV1;

  constructor(scope: Construct, id: string, props: DataLoaderProps) {
    super(scope, id);
    const labels = { "app.kubernetes.io/name": API_APPS.loader, "app.kubernetes.io/part-of": "mock-data-api" };
    this.bucket = new PlatformBucket(this, "dumps", { project: props.project, name: `${props.project}-${props.environment}-api-dumps`, location: props.region });
    const identity = new WorkloadIdentity(this, "identity", {
      project: props.project,
      accountId: `${props.environment}-data-loader`,
      displayName: `Data loader (${props.environment})`,
      namespace: props.namespace,
      kubernetesServiceAccount: API_APPS.loader,
    });
    this.bucket.grant("loader", identity.member, "roles/storage.objectViewer");
    new ServiceAccountV1(this, "service-account", {
      provider: props.provider,
      metadata: { name: API_APPS.loader, namespace: props.namespace, labels, annotations: identity.annotations },
      automountServiceAccountToken: false,
    });
    const scripts = new ConfigMapV1(this, "scripts", {
      provider: props.provider,
      metadata: { name: API_APPS.loader, namespace: props.namespace, labels },
      data: { "download.sh": downloadScript(), "load.sh": loadScript() },
    });
    const mounts = [
      { name: "scripts", mountPath: "/scripts", readOnly: true },
      { name: "scratch", mountPath: "/scratch" },
      { name: "tmp", mountPath: "/tmp" },
    ];
    const dump = { name: "DUMP_FILE", value: "/scratch/dump" };
    this.cronJob = new CronJobV1(this, "cron-job", {
      provider: props.provider,
      metadata: { name: API_APPS.loader, namespace: props.namespace, labels },
      spec: {
        // Run by hand only: suspended (the schedule is never used).
        suspend: true,
        schedule: "0 0 1 1 *",
        concurrencyPolicy: "Forbid",
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels },
          spec: {
            backoffLimit: 0,
            activeDeadlineSeconds: 6 * 3600,
            ttlSecondsAfterFinished: "604800",
            template: {
              metadata: { labels },
              spec: {
                restartPolicy: "Never",
                serviceAccountName: API_APPS.loader,
                securityContext: { runAsNonRoot: true, runAsUser: "65534", runAsGroup: "65534", fsGroup: "65534", seccompProfile: { type: "RuntimeDefault" } },
                initContainer: [
                  {
                    name: "download",
                    image: image(IMAGES.googleCloudCli),
                    command: ["sh", "/scripts/download.sh"],
                    env: [{ name: "DUMP_URL", value: `gs://${this.bucket.name}/${props.object}` }, dump, { name: "CLOUDSDK_CONFIG", value: "/tmp/gcloud" }, { name: "HOME", value: "/tmp" }],
                    volumeMount: mounts,
                    securityContext: restricted,
                    resources: { requests: { cpu: "100m", memory: "256Mi", "ephemeral-storage": "256Mi" }, limits: { memory: "512Mi", "ephemeral-storage": "1Gi" } },
                  },
                ],
                container: [
                  {
                    name: "load",
                    image: props.postgresImage,
                    command: ["sh", "/scripts/load.sh"],
                    env: [dump, { name: "DATABASE_URI", valueFrom: { secretKeyRef: { name: `${props.targetCluster}-app`, key: "uri" } } }],
                    volumeMount: mounts,
                    securityContext: restricted,
                    resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { memory: "1Gi" } },
                  },
                ],
                volume: [
                  { name: "scripts", configMap: { name: scripts.metadata.name } },
                  // Bounded scratch space: the pod is evicted rather than filling the node.
                  { name: "scratch", emptyDir: { sizeLimit: props.scratch } },
                  { name: "tmp", emptyDir: { sizeLimit: "256Mi" } },
                ],
              },
            },
          },
        },
      },
    });
  }
}
