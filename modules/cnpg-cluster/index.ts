/**
 * CnpgCluster: a CloudNativePG cluster as typed custom resources (their CRDs come from the commons stack, so they
 * exist when this stack plans), with:
 * - backups through the Barman Cloud plugin: an ObjectStore on a GCS bucket (Workload Identity), WAL archiving by
 *   the plugin, a ScheduledBackup (six-field cron) and a retention policy;
 * - three modes: `primary` (initdb), `replica` (bootstrap from, then continuously recover from, another cluster's
 *   archive: a replica cluster) and `restore` (bootstrap recovery from an archive, latest or point in time);
 * - roles managed by the operator (passwords from Secrets), and databases as Database resources.
 *
 * Lineages: the cluster archives under a server name `<name>-<8 hex>` that changes whenever the mode changes
 * (a terraform_data resource replaced with the mode). A cluster never archives into the folder of another
 * timeline: going primary → replica → primary needs no cleanup in the bucket, and the old folders stay as
 * restore sources until the retention policy removes them.
 */
import { Construct } from "constructs";
import { Fn } from "cdktf";
import type { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { Password } from "@cdktf/provider-random/lib/password";
import type { PlatformNamespace } from "../platform-namespace";
import { TerraformData } from "../terraform-data";
import { SecretVariable } from "../secret-variable";

export const BARMAN_PLUGIN = "barman-cloud.cloudnative-pg.io";

export type ClusterMode =
  | { readonly mode: "primary" }
  | { readonly mode: "replica"; readonly source: BackupSource }
  | { readonly mode: "restore"; readonly source: BackupSource; readonly targetTime?: string };

export interface BackupSource {
  /** Server name the source archived under. */
  readonly serverName: string;
  /** Bucket of the source archive. */
  readonly bucket: string;
}

export interface ManagedRole {
  readonly name: string;
  readonly login: boolean;
  /** Where a login role's password comes from. */
  readonly password: "generated" | "secret";
  readonly inRoles: readonly string[];
  /** Inherit the privileges of the roles it is a member of; default true. */
  readonly inherit?: boolean;
}

export interface CnpgClusterProps {
  readonly provider: KubernetesProvider;
  readonly namespace: PlatformNamespace;
  readonly name: string;
  readonly instances: number;
  readonly image: string;
  readonly storage: string;
  readonly storageClass: string;
  readonly resources: { readonly cpu: string; readonly memory: string };
  /** The first database and its owner (initdb in primary mode, the recovered database otherwise). */
  readonly database: string;
  readonly mode: ClusterMode;
  /** Backups of this cluster; none when omitted. */
  readonly backups?: {
    readonly bucket: string;
    readonly retention: string;
    readonly schedule: string;
    /** Annotations of the instances' service account (Workload Identity). */
    readonly serviceAccountAnnotations: Record<string, string>;
  };
  /** Service account annotations when there are no backups but a source must be read (replica/restore). */
  readonly serviceAccountAnnotations?: Record<string, string>;
  readonly roles?: readonly ManagedRole[];
  readonly databases?: readonly { readonly name: string; readonly owner: string }[];
}

const gs = (bucket: string) => `gs://${bucket}/`;

export class CnpgCluster extends Construct {
  readonly cluster: Manifest;
  /** The server name this cluster archives under (undefined without backups). */
  readonly serverName?: string;
  readonly name: string;

  constructor(scope: Construct, id: string, props: CnpgClusterProps) {
    super(scope, id);
    this.name = props.name;
    const ns = props.namespace.name;
    const manifest = (mid: string, body: Record<string, unknown>, deps: Manifest[] = []) =>
      new Manifest(this, mid, { provider: props.provider, manifest: body, dependsOn: [props.namespace.resource, ...deps] });
    const meta = (name: string) => ({ name, namespace: ns, labels: { "app.kubernetes.io/managed-by": "platform-bootstrap" } });

    const objectStore = (mid: string, name: string, bucket: string, retention?: string) =>
      manifest(mid, {
        apiVersion: "barmancloud.cnpg.io/v1",
        kind: "ObjectStore",
        metadata: meta(name),
        spec: {
          ...(retention ? { retentionPolicy: retention } : {}),
          configuration: {
            destinationPath: gs(bucket),
            googleCredentials: { gkeEnvironment: true },
            wal: { compression: "gzip", maxParallel: 2 },
            data: { compression: "gzip", jobs: 2 },
          },
          instanceSidecarConfiguration: { resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "512Mi" } } },
        },
      });

    const deps: Manifest[] = [];
    const plugins: object[] = [];
    if (props.backups) {
      // A new lineage (server name) whenever the mode changes.
      const lineage = new TerraformData(this, "lineage", { input: { mode: props.mode.mode }, triggersReplace: { mode: props.mode.mode } });
      this.serverName = `${props.name}-${Fn.substr(lineage.id, 0, 8)}`;
      deps.push(objectStore("object-store", `${props.name}-backups`, props.backups.bucket, props.backups.retention));
      plugins.push({ name: BARMAN_PLUGIN, enabled: true, isWALArchiver: true, parameters: { barmanObjectName: `${props.name}-backups`, serverName: this.serverName } });
    }

    let bootstrap: object = { initdb: { database: props.database, owner: props.database } };
    const extra: Record<string, unknown> = {};
    if (props.mode.mode !== "primary") {
      const source = props.mode.source;
      const sameBucket = props.backups?.bucket === source.bucket;
      const originStore = sameBucket ? `${props.name}-backups` : `${props.name}-origin`;
      if (!sameBucket) deps.push(objectStore("origin-object-store", originStore, source.bucket));
      extra.externalClusters = [{ name: "origin", plugin: { name: BARMAN_PLUGIN, parameters: { barmanObjectName: originStore, serverName: source.serverName } } }];
      const target = props.mode.mode === "restore" && props.mode.targetTime ? { recoveryTarget: { targetTime: props.mode.targetTime } } : {};
      bootstrap = { recovery: { source: "origin", database: props.database, owner: props.database, ...target } };
      if (props.mode.mode === "replica") extra.replica = { enabled: true, source: "origin" };
    }

    const roleSecrets: SecretV1[] = [];
    const managedRoles = (props.roles ?? []).map((role) => {
      const entry: Record<string, unknown> = { name: role.name, ensure: "present", login: role.login, inherit: role.inherit ?? true, inRoles: [...role.inRoles] };
      if (role.login) {
        const password =
          role.password === "secret"
            ? new SecretVariable(this, `cnpg_${role.name}_password`, { description: `Password of the PostgreSQL role ${role.name} of ${props.name}` }).value
            : new Password(this, `${role.name}-password`, { length: 40, special: false }).result;
        const secretName = `${props.name}-role-${role.name.replace(/_/g, "-")}`;
        const secret = new SecretV1(this, `${role.name}-secret`, {
          provider: props.provider,
          metadata: { name: secretName, namespace: ns, labels: { "cnpg.io/reload": "true" } },
          type: "kubernetes.io/basic-auth",
          data: { username: role.name, password },
          dependsOn: [props.namespace.resource],
        });
        roleSecrets.push(secret);
        entry.passwordSecret = { name: secretName };
      } else entry.disablePassword = true;
      return entry;
    });

    const saAnnotations = props.backups?.serviceAccountAnnotations ?? props.serviceAccountAnnotations;
    this.cluster = new Manifest(this, "cluster", {
      provider: props.provider,
      manifest: {
        apiVersion: "postgresql.cnpg.io/v1",
        kind: "Cluster",
        metadata: meta(props.name),
        spec: {
          instances: props.instances,
          imageName: props.image,
          enableSuperuserAccess: false,
          storage: { size: props.storage, storageClass: props.storageClass },
          resources: { requests: { cpu: props.resources.cpu, memory: props.resources.memory }, limits: { memory: doubled(props.resources.memory) } },
          bootstrap,
          ...extra,
          ...(plugins.length ? { plugins } : {}),
          ...(saAnnotations ? { serviceAccountTemplate: { metadata: { annotations: saAnnotations } } } : {}),
          ...(managedRoles.length ? { managed: { roles: managedRoles } } : {}),
          primaryUpdateStrategy: "unsupervised",
          primaryUpdateMethod: "switchover",
        },
      },
      dependsOn: [props.namespace.resource, ...deps, ...roleSecrets],
    });

    if (props.backups) {
      manifest(
        "scheduled-backup",
        {
          apiVersion: "postgresql.cnpg.io/v1",
          kind: "ScheduledBackup",
          metadata: meta(`${props.name}-daily`),
          spec: {
            schedule: props.backups.schedule,
            cluster: { name: props.name },
            backupOwnerReference: "self",
            method: "plugin",
            pluginConfiguration: { name: BARMAN_PLUGIN },
            immediate: true,
          },
        },
        [this.cluster],
      );
    }
    for (const db of props.databases ?? []) {
      manifest(
        `database-${db.name}`,
        {
          apiVersion: "postgresql.cnpg.io/v1",
          kind: "Database",
          metadata: meta(`${props.name}-${db.name.replace(/_/g, "-")}`),
          spec: { name: db.name, owner: db.owner, cluster: { name: props.name }, ensure: "present", databaseReclaimPolicy: "retain" },
        },
        [this.cluster],
      );
    }
  }
}

/** Twice a Kubernetes quantity (`1Gi` → `2Gi`). */
function doubled(quantity: string): string {
  const m = /^(\d+)(\D*)$/.exec(quantity);
  if (!m) throw new Error(`CnpgCluster: cannot double the quantity "${quantity}"`);
  return `${Number(m[1]) * 2}${m[2]}`;
}
