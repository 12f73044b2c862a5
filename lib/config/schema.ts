/**
 * The schema of `config/<env>.yaml`: everything that differs between environments and is not secret.
 * Each field documents its default; `npm run render -- config --env <env>` prints a file with every default
 * filled in. Objects are strict: an unknown key (a typo) is an error, never silently ignored.
 */
import { z } from "zod";
import {
  cidr,
  cron6,
  domainName,
  duration,
  email,
  gcpLocation,
  gcpProjectId,
  gcpRegion,
  gcsBucketName,
  hostPort,
  pgIdentifier,
  prometheusSize,
  resourceName,
  retentionPolicy,
  storageSize,
  timestamp,
  uuid,
} from "./formats";

/** A strict object whose fields all have defaults may be left out: it then takes every default. */
// `{}` is parsed through the schema (prefault), so inner defaults apply and inner required fields are reported.
const section = <T extends z.ZodRawShape>(shape: T) => z.strictObject(shape).prefault({} as never);

const gcp = z.strictObject({
  /** Google Cloud project that holds the cluster, the buckets and the service accounts. */
  project: gcpProjectId(),
  /** Region of the buckets and regional resources. */
  region: gcpRegion(),
});

const azure = z.strictObject({
  /** Entra ID tenant that holds the users, the groups and the applications. */
  tenantId: uuid(),
});

const cluster = z.strictObject({
  /** GKE cluster name; also `spec.name` of login_config.yaml (what `--cluster` matches). */
  name: resourceName(),
  /** Region (regional cluster) or zone (zonal cluster). */
  location: gcpLocation(),
  /**
   * How Terraform reaches the Kubernetes API. `gke` (default): endpoint and CA from `data google_container_cluster`
   * and a short-lived token from `data google_client_config`. `kubeconfig`: a context of a kubeconfig file, for a
   * local kind cluster or a cluster outside Google Cloud.
   */
  access: z.enum(["gke", "kubeconfig"]).default("gke"),
  /** Only with `access: kubeconfig`. */
  kubeconfig: z
    .strictObject({
      /** Default `~/.kube/config`. */
      path: z.string().min(1).default("~/.kube/config"),
      context: z.string().min(1),
    })
    .optional(),
  /** Networks allowed to reach the control plane of the cluster the bootstrap stack can create. Default none. */
  authorizedNetworks: z.array(z.strictObject({ name: resourceName(), cidr: cidr() })).default([]),
  /** Create the (hardened) GKE cluster in the bootstrap stack. Default: not created (it exists already). */
  create: z
    .strictObject({
      /** GKE release channel. Default REGULAR. */
      releaseChannel: z.enum(["RAPID", "REGULAR", "STABLE"]).default("REGULAR"),
      machineType: z.string().regex(/^[a-z0-9]+-[a-z0-9-]+$/, "a machine type such as e2-standard-4").default("e2-standard-4"),
      minNodes: z.number().int().min(1).default(1),
      maxNodes: z.number().int().min(1).default(3),
      /** The control plane's private range (a /28). Default 172.16.0.0/28. */
      masterCidr: cidr().default("172.16.0.0/28"),
    })
    .optional(),
});

const state = z.strictObject({
  /** `gcs` for every real environment; `local` keeps state files in the project root (offline `example`). */
  backend: z.enum(["local", "gcs"]),
  /** State bucket (created by the bootstrap stack); required with `backend: gcs`. Prefix is `<env>/<stack>`. */
  bucket: gcsBucketName().optional(),
  /**
   * Where the bootstrap stack keeps its own state. Default `local`: it creates the state bucket, so its first
   * apply cannot use it. Switch to `gcs` after `terraform init -migrate-state` (docs/bootstrap.md).
   */
  bootstrap: z.enum(["local", "gcs"]).default("local"),
});

const ci = section({
  /** GitHub repository (owner/name) whose workflows may deploy, and its protected branch. */
  github: z
    .strictObject({
      repository: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "owner/name such as acme/platform"),
      branch: z.string().min(1).default("main"),
    })
    .optional(),
  /** GitLab project (group/name) whose pipelines may deploy, on its protected branch. */
  gitlab: z
    .strictObject({
      project: z.string().regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)+$/, "group/name such as acme/platform"),
      host: domainName().default("gitlab.com"),
      branch: z.string().min(1).default("main"),
    })
    .optional(),
});

const dns = z.strictObject({
  /** Base domain; public endpoints are `<service>.<domain>` (auth, grafana, api, swagger). */
  domain: domainName(),
});

const commons = section({
  acme: z.strictObject({
    /** Let's Encrypt account e-mail (expiry notices). */
    email: email(),
    /** Which ClusterIssuer signs the public certificates: `production` (default) or `staging` (no rate limits, untrusted). */
    issuer: z.enum(["production", "staging"]).default("production"),
  }),
  /** Storage class of every persistent volume of the stack; default GKE's `standard-rwo` (balanced PD). */
  storageClass: z.string().min(1).default("standard-rwo"),
  monitoring: section({
    /** Prometheus retention time. Default 15d. */
    retention: duration().default("15d"),
    /** Prometheus retention size, below the volume size. Default 45GB. */
    retentionSize: prometheusSize().default("45GB"),
    /** Prometheus volume. Default 50Gi. */
    prometheusStorage: storageSize().default("50Gi"),
    /** Alertmanager volume (silences, notification log). Default 2Gi. */
    alertmanagerStorage: storageSize().default("2Gi"),
    /** Grafana volume. Default 5Gi. */
    grafanaStorage: storageSize().default("5Gi"),
    /** Recipients of Alertmanager's e-mail notifications. Default none: no e-mail receiver. */
    alertEmails: z.array(email()).default([]),
    /** SMTP server of the alert e-mails; required with alertEmails. The password is the secret alertmanager_smtp_password. */
    smtp: z
      .strictObject({
        /** `host:port`; STARTTLS is required. */
        smarthost: hostPort(),
        from: email(),
        username: z.string().min(1),
      })
      .optional(),
    /** Send alerts to a Microsoft Teams channel through a Workflows webhook (secret alertmanager_teams_webhook_url). Default true. */
    teams: z.boolean().default(true),
  }),
  logs: section({
    /** `monolithic` (default: one Loki process) or `simple-scalable` (read, write and backend targets). */
    mode: z.enum(["monolithic", "simple-scalable"]).default("monolithic"),
    /** Loki retention, enforced by the compactor. Default 744h (31 days). */
    retention: duration().default("744h"),
    /** Loki tenant (X-Scope-OrgID) of the platform's logs. Default `platform`. */
    tenant: resourceName().default("platform"),
    /** Loki volume (write-ahead log, compactor). Default 20Gi. */
    storage: storageSize().default("20Gi"),
  }),
  keycloak: section({
    /** Keycloak replicas. Default 2. */
    replicas: z.number().int().min(1).max(5).default(2),
    /** Instances of Keycloak's PostgreSQL (CloudNativePG). Default 2 (a primary and a standby). */
    databaseInstances: z.number().int().min(1).max(5).default(2),
    databaseStorage: storageSize().default("10Gi"),
    /** Keep base backups and WAL this long: `30d`, `4w`, `3m`. Default 30d. */
    backupRetention: retentionPolicy().default("30d"),
  }),
});

/** Where a replica or a restore reads WAL and base backups: a server name (folder) in a backup bucket. */
const backupSource = z.strictObject({
  /** Server name the source cluster archives under (`serverName` output of its cnpg stack). */
  serverName: resourceName(),
  /** Bucket of the source; default this environment's backup bucket. */
  bucket: gcsBucketName().optional(),
});

const cnpg = section({
  /** The mock-data API's database cluster. */
  cluster: section({
    /** CloudNativePG cluster name; services `<name>-rw` / `<name>-ro`. Default `mock-data`. */
    name: resourceName().default("mock-data"),
    /** PostgreSQL instances (1 primary + standbys). Default 2. */
    instances: z.number().int().min(1).max(9).default(2),
    /** PostgreSQL major version; the exact image is pinned in lib/versions.ts. Default 17. */
    postgresVersion: z.enum(["16", "17"]).default("17"),
    storage: storageSize().default("20Gi"),
    /** Default `commons.storageClass`. */
    storageClass: z.string().min(1).optional(),
    /** CPU and memory request; the memory limit is twice the request. Default 500m, 1Gi. */
    cpu: z.string().regex(/^\d+m?$/, "a CPU quantity such as 500m or 2").default("500m"),
    memory: storageSize().default("1Gi"),
    /** First database and its owner role. Default `mockdata`. */
    database: pgIdentifier().default("mockdata"),
    /**
     * `primary` (default): initdb, archives WAL, backs up. `replica`: continuously recovers from `replicaOf`
     * (a replica cluster; promote it by switching back to primary). `restore`: recovers once from `restore`
     * (latest backup, or `targetTime`) and then runs as a primary.
     */
    mode: z.enum(["primary", "replica", "restore"]).default("primary"),
    replicaOf: backupSource.optional(),
    restore: backupSource.extend({ targetTime: timestamp().optional() }).optional(),
  }),
  backups: section({
    /** Keep base backups and WAL this long. Default 30d. */
    retention: retentionPolicy().default("30d"),
    /** Base backup schedule, six fields (seconds first). Default daily at 02:00. */
    schedule: cron6().default("0 0 2 * * *"),
  }),
  /** More databases of the cluster, each owned by a role of `roles`. Default none. */
  databases: z.array(z.strictObject({ name: pgIdentifier(), owner: pgIdentifier() })).default([]),
  /**
   * Roles managed by the operator. A login role gets its password from a Secret: `generated` (default, by
   * Terraform) or `secret` (the sensitive variable `cnpg_<role>_password`).
   */
  roles: z
    .array(
      z.strictObject({
        name: pgIdentifier(),
        login: z.boolean().default(true),
        password: z.enum(["generated", "secret"]).default("generated"),
        inRoles: z.array(pgIdentifier()).default([]),
      }),
    )
    .default([]),
  /** The optional old-data cluster (target of the data loader). */
  oldData: section({
    enabled: z.boolean().default(false),
    name: resourceName().default("old-data"),
    instances: z.number().int().min(1).max(9).default(1),
    storage: storageSize().default("20Gi"),
    database: pgIdentifier().default("olddata"),
    /** Back it up like the main cluster. Default false. */
    backups: z.boolean().default(false),
  }),
});

const entraGroupName = () => z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,119}$/, "an Entra group name such as Platform Admins");

const identity = section({
  /** Keycloak realm of the platform's users (kubectl, Grafana). Default `kubernetes`. */
  realm: resourceName().default("kubernetes"),
  /** `identityService` (GKE Identity Service + login_config.yaml, default) or `workforceIdentity`. */
  authMode: z.enum(["identityService", "workforceIdentity"]).default("identityService"),
  /** Namespaces in which developers manage workloads and readonly users read them. Default none. */
  namespaces: z.array(resourceName()).default([]),
  /** Display names of the Entra ID groups: who may sign in (access) and the three personas. */
  groups: section({
    access: entraGroupName().default("Platform Access"),
    admins: entraGroupName().default("Platform Admins"),
    developers: entraGroupName().default("Platform Developers"),
    readonly: entraGroupName().default("Platform Readonly"),
  }),
  /** Object ids of the Entra users who own the application and the groups. At least one. */
  owners: z.array(uuid()).min(1),
  /**
   * Prefix of the Kubernetes group (and user) names from OIDC tokens: `oidc:` makes `oidc:admins`. Never empty: a
   * Keycloak group named `system:masters` would otherwise become that Kubernetes group.
   */
  groupPrefix: z.string().regex(/^[a-z][a-z0-9-]*:$/, 'a prefix ending in a colon, such as "oidc:"').default("oidc:"),
  /** The Entra client secret of Keycloak's broker: its expiry, and a key whose change creates a new secret. */
  entraSecret: z.strictObject({
    /** Expiry of the client secret (at most two years ahead). */
    endDate: timestamp(),
    /** Change this value (e.g. `2026-h2`) to rotate the secret on the next deploy (docs/identity.md). */
    rotation: z.string().min(1),
  }),
  /** Workforce Identity Federation, with `authMode: workforceIdentity`. */
  workforce: z
    .strictObject({
      /** Google Cloud organization id (workforce pools are organization resources). */
      organizationId: z.string().regex(/^\d{6,20}$/, "a numeric organization id"),
      poolId: z.string().regex(/^[a-z][a-z0-9-]{3,61}[a-z0-9]$/, "a pool id of 4 to 63 lowercase letters, digits and dashes"),
    })
    .optional(),
});

const PRIVILEGES = ["select", "insert", "update", "delete"] as const;
const grant = z.strictObject({ table: pgIdentifier(), privileges: z.array(z.enum(PRIVILEGES)).min(1) });

const mockDataApi = section({
  /** Namespace of PostgREST, the gateway, Swagger UI, pgAdmin and the loader. Default `mock-data-api`. */
  namespace: resourceName().default("mock-data-api"),
  /** Tables of the `api` schema (the only schema PostgREST exposes). */
  tables: z
    .array(
      z.strictObject({
        name: pgIdentifier(),
        columns: z
          .array(
            z.strictObject({
              name: pgIdentifier(),
              type: z.enum(["text", "integer", "bigint", "numeric", "boolean", "date", "timestamptz", "jsonb", "uuid"]),
              /** The primary key (an identity column when integer or bigint). */
              primaryKey: z.boolean().default(false),
              nullable: z.boolean().default(true),
            }),
          )
          .min(1),
        /** Rows belong to client orgs: an `org` column and row-level security on the `org` claim of the backend token. */
        shared: z.boolean().default(false),
      }),
    )
    .default([]),
  /** What the anonymous role may do. Default nothing. */
  anonymous: z.array(grant).default([]),
  /** Client organisations: each gets a database role, a gateway route and its own tokens. */
  clients: z
    .array(
      z.strictObject({
        /** The `org` claim of its tokens (exact, case-sensitive). */
        name: resourceName(),
        grants: z.array(grant).default([]),
        /** Requests per rate window; default `gateway.rateLimit.requests`. */
        rateLimit: z.number().int().min(1).optional(),
      }),
    )
    .default([]),
  /** The HAProxy JWT gateway, the API's only public entrance. */
  gateway: section({
    /** `iss` of client tokens. Default `https://api.<domain>`. */
    issuer: z.string().regex(/^https:\/\/\S+$/, "an https URL such as https://api.example.com").optional(),
    /** `aud` of client tokens. Default `mock-data-api`. */
    audience: z.string().min(1).default("mock-data-api"),
    /** Longest accepted token lifetime (exp - iat). Default 24h. */
    maxTokenLifetime: duration().default("24h"),
    /** Requests per org per window (HTTP 429 above, with Retry-After). Default 100 per 10s. */
    rateLimit: section({ requests: z.number().int().min(1).default(100), window: duration().default("10s") }),
    /** Largest request body in bytes (HTTP 413 above). Default 16384. */
    maxBodyBytes: z.number().int().min(1024).max(1048576).default(16384),
    replicas: z.number().int().min(1).max(10).default(2),
    /** Lifetime of the backend tokens the tooling mints (rotate before). Default 90d. */
    backendTokenLifetime: duration().default("90d"),
  }),
  /** The data loader (a suspended CronJob, run by hand). */
  loader: section({
    /** `api` (the API database, default) or `old-data` (the old-data cluster; cnpg.oldData.enabled must be true). */
    target: z.enum(["api", "old-data"]).default("api"),
    /** Object in the dumps bucket `<project>-<env>-api-dumps`. Default `dumps/latest.dump`. */
    object: z.string().regex(/^[A-Za-z0-9._\/-]+$/, "an object path such as dumps/2026-11.dump").default("dumps/latest.dump"),
    /** Scratch space for the dump. Default 10Gi. */
    scratch: storageSize().default("10Gi"),
  }),
  postgrest: section({
    replicas: z.number().int().min(1).max(10).default(2),
    /** db-max-rows. Default 1000. */
    maxRows: z.number().int().min(1).default(1000),
    /** db-pool. Default 10. */
    pool: z.number().int().min(1).max(100).default(10),
    /** jwt-aud of the backend tokens. Default `postgrest`. */
    audience: z.string().min(1).default("postgrest"),
  }),
});

export const configSchema = z.strictObject({
  gcp,
  azure,
  cluster,
  state,
  ci,
  dns,
  commons,
  cnpg,
  identity,
  mockDataApi,
});

/** The validated config of one environment, every default filled in. */
export type EnvironmentConfig = z.output<typeof configSchema>;

/** An environment: its name (the file name) and its config. */
export interface Environment {
  readonly name: string;
  readonly config: EnvironmentConfig;
}
