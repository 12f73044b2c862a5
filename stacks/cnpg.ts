/**
 * cnpg: the mock-data API's PostgreSQL clusters on CloudNativePG, their backups and monitoring (docs/cnpg.md).
 * Providers: google, kubernetes, helm, random (generated role passwords). The operator, the Barman Cloud plugin and
 * their CRDs come from commons, so the clusters are typed custom resources here.
 */
import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { StorageBucketIamMember } from "@cdktf/provider-google/lib/storage-bucket-iam-member";
import { RandomProvider } from "@cdktf/provider-random/lib/provider";
import { apiRoles } from "../lib/mock-data-api/sql";
import { POSTGRES_IMAGES } from "../lib/versions";
import type { ClusterAccess } from "../modules/cluster-access";
import { CnpgCluster, type ClusterMode } from "../modules/cnpg-cluster";
import { CnpgMonitoring } from "../modules/cnpg-monitoring";
import { DatabaseNetworkPolicy } from "../modules/network-policies";
import { PlatformBucket } from "../modules/platform-bucket";
import { PlatformNamespace } from "../modules/platform-namespace";
import { WorkloadIdentity } from "../modules/workload-identity";
import { PlatformStack, type PlatformStackProps } from "./platform-stack";

/** Namespace of the application databases; other stacks find the clusters here by name. */
export const DATABASES_NAMESPACE = "databases";

export class CnpgStack extends PlatformStack {
  readonly cluster: ClusterAccess;

  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, "cnpg", props);
    const google = this.addGoogleProvider();
    this.cluster = this.addClusterAccess(google);
    new RandomProvider(this, "random");
    const c = this.config;
    const db = c.cnpg.cluster;
    const env = this.environmentName;
    const kubernetes = this.cluster.kubernetes;
    const storageClass = db.storageClass ?? c.commons.storageClass;

    const namespace = new PlatformNamespace(this, "namespace", { name: DATABASES_NAMESPACE, provider: kubernetes });
    const bucket = new PlatformBucket(this, "backups", { project: c.gcp.project, name: `${c.gcp.project}-${env}-cnpg-backups`, location: c.gcp.region });

    const identity = (cluster: string) => {
      const wi = new WorkloadIdentity(this, `${cluster}-identity`, {
        project: c.gcp.project,
        accountId: `${env}-${cluster}`.slice(0, 30).replace(/-$/, ""),
        displayName: `PostgreSQL ${cluster} (${env})`,
        namespace: DATABASES_NAMESPACE,
        kubernetesServiceAccount: cluster,
      });
      bucket.grant(`${cluster}-backups`, wi.member);
      return wi;
    };

    const main = identity(db.name);
    let mode: ClusterMode = { mode: "primary" };
    const source = db.mode === "replica" ? db.replicaOf : db.mode === "restore" ? db.restore : undefined;
    if (source) {
      const sourceBucket = source.bucket ?? bucket.name;
      if (sourceBucket !== bucket.name) {
        new StorageBucketIamMember(this, "origin-read", { bucket: sourceBucket, role: "roles/storage.objectViewer", member: main.member });
      }
      mode =
        db.mode === "replica"
          ? { mode: "replica", source: { serverName: source.serverName, bucket: sourceBucket } }
          : { mode: "restore", source: { serverName: source.serverName, bucket: sourceBucket }, targetTime: c.cnpg.cluster.restore?.targetTime };
    }

    const mockData = new CnpgCluster(this, "mock-data", {
      provider: kubernetes,
      namespace,
      name: db.name,
      instances: db.instances,
      image: POSTGRES_IMAGES[db.postgresVersion],
      storage: db.storage,
      storageClass,
      resources: { cpu: db.cpu, memory: db.memory },
      database: db.database,
      mode,
      backups: { bucket: bucket.name, retention: c.cnpg.backups.retention, schedule: c.cnpg.backups.schedule, serviceAccountAnnotations: main.annotations },
      // The roles of config, then the API's (authenticator's password is the variable PostgREST uses too).
      roles: [
        ...c.cnpg.roles,
        ...apiRoles(c).map((r) => ({ name: r.name, login: r.login, inherit: r.inherit, inRoles: r.inRoles, password: "secret" as const })),
      ],
      databases: c.cnpg.databases,
    });
    new DatabaseNetworkPolicy(this, "network-policy", {
      provider: kubernetes,
      namespace,
      clusters: [db.name, ...(c.cnpg.oldData.enabled ? [c.cnpg.oldData.name] : [])],
      clientNamespace: c.mockDataApi.namespace,
    });
    new CnpgMonitoring(this, "mock-data-monitoring", { provider: kubernetes, namespace, cluster: db.name, instances: db.instances, backups: true });
    new TerraformOutput(this, "server_name", {
      value: mockData.serverName!,
      description: `Server name ${db.name} archives under in gs://${bucket.name}/ (what a replica or a restore names as its source)`,
    });

    const old = c.cnpg.oldData;
    if (old.enabled) {
      const oldIdentity = old.backups ? identity(old.name) : undefined;
      new CnpgCluster(this, "old-data", {
        provider: kubernetes,
        namespace,
        name: old.name,
        instances: old.instances,
        image: POSTGRES_IMAGES[db.postgresVersion],
        storage: old.storage,
        storageClass,
        resources: { cpu: "250m", memory: "512Mi" },
        database: old.database,
        mode: { mode: "primary" },
        backups: oldIdentity
          ? { bucket: bucket.name, retention: c.cnpg.backups.retention, schedule: c.cnpg.backups.schedule, serviceAccountAnnotations: oldIdentity.annotations }
          : undefined,
      });
      new CnpgMonitoring(this, "old-data-monitoring", { provider: kubernetes, namespace, cluster: old.name, instances: old.instances, backups: old.backups });
    }
  }
}
