/**
 * ApiSchema: applies the API's SQL (lib/mock-data-api/sql.ts: schema, tables, RLS, grants) as the database owner, at
 * every deploy that changes it (the Job's name carries the SQL's digest). The roles themselves are managed by
 * CloudNativePG (cnpg stack). The Job runs in the databases namespace, where the owner's Secret is.
 */
import { createHash } from "node:crypto";
import { Construct } from "constructs";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { JobV1 } from "@cdktf/provider-kubernetes/lib/job-v1";
import type { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { API_APPS } from "../network-policies";

export interface ApiSchemaProps {
  readonly provider: KubernetesProvider;
  readonly namespace: string;
  /** The CloudNativePG application Secret of the owner (`<cluster>-app`, key `uri`). */
  readonly ownerSecret: string;
  readonly sql: string;
  /** An image with psql (the cluster's PostgreSQL image). */
  readonly image: string;
}

export class ApiSchema extends Construct {
  readonly job: JobV1;

  constructor(scope: Construct, id: string, props: ApiSchemaProps) {
    super(scope, id);
    const digest = createHash("sha256").update(props.sql).digest("hex").slice(0, 10);
    const labels = { "app.kubernetes.io/name": API_APPS.schema, "app.kubernetes.io/part-of": "mock-data-api" };
    const config = new ConfigMapV1(this, "sql", {
      provider: props.provider,
      metadata: { name: `api-schema-${digest}`, namespace: props.namespace, labels },
      data: { "api.sql": props.sql },
    });
    this.job = new JobV1(this, "apply", {
      provider: props.provider,
      metadata: { name: `api-schema-${digest}`, namespace: props.namespace, labels },
      spec: {
        backoffLimit: 3,
        ttlSecondsAfterFinished: "86400",
        template: {
          metadata: { labels },
          spec: {
            restartPolicy: "Never",
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: "26", seccompProfile: { type: "RuntimeDefault" } },
            container: [
              {
                name: "psql",
                image: props.image,
                command: ["sh", "-c", 'psql "$DATABASE_URI" --no-psqlrc -v ON_ERROR_STOP=1 -f /sql/api.sql'],
                env: [{ name: "DATABASE_URI", valueFrom: { secretKeyRef: { name: props.ownerSecret, key: "uri" } } }],
                volumeMount: [{ name: "sql", mountPath: "/sql", readOnly: true }],
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } },
                resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } },
              },
            ],
            volume: [{ name: "sql", configMap: { name: config.metadata.name } }],
          },
        },
      },
      waitForCompletion: true,
      timeouts: { create: "5m", update: "5m" },
    });
  }
}
