/**
 * KeycloakRealm: applies the platform realm (lib/keycloak/realm.ts) with keycloak-config-cli, declaratively and
 * idempotently: a Job runs at every deploy that changes the realm, a secret or a group id (the Job is replaced),
 * and a CronJob re-applies it hourly so that changes made by hand in the admin console are undone. The import
 * cache is off, so every run compares the whole realm. Secrets reach the Job as environment variables from
 * Kubernetes Secrets; the realm file (a ConfigMap) holds `$(env:...)` placeholders only.
 */
import { createHash } from "node:crypto";
import { Construct } from "constructs";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { CronJobV1 } from "@cdktf/provider-kubernetes/lib/cron-job-v1";
import { JobV1, type JobV1SpecTemplate } from "@cdktf/provider-kubernetes/lib/job-v1";
import type { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { PERSONAS, REALM_ENV } from "../../lib/keycloak/realm";
import { image, IMAGES } from "../../lib/versions";

export interface KeycloakRealmProps {
  readonly provider: KubernetesProvider;
  /** Keycloak's namespace (the commons stack's), where its admin Secret is. */
  readonly namespace: string;
  readonly realmName: string;
  readonly realm: Record<string, unknown>;
  /** In-cluster URL of Keycloak. */
  readonly keycloakUrl: string;
  /** Secret and key of the bootstrap admin's password (commons). */
  readonly adminSecret: { readonly name: string; readonly key: string };
  readonly entraClientId: string;
  /** Sensitive values, placed in a Secret. */
  readonly entraClientSecret: string;
  readonly grafanaClientSecret: string;
  /** Entra group object ids by persona. */
  readonly groupIds: Readonly<Record<string, string>>;
}

export class KeycloakRealm extends Construct {
  readonly job: JobV1;

  constructor(scope: Construct, id: string, props: KeycloakRealmProps) {
    super(scope, id);
    const realmJson = JSON.stringify(props.realm, null, 2);
    const digest = createHash("sha256").update(realmJson).digest("hex").slice(0, 10);
    const name = `realm-${props.realmName}`;
    const labels = { "app.kubernetes.io/name": "keycloak-config-cli", "app.kubernetes.io/managed-by": "platform-bootstrap" };

    const config = new ConfigMapV1(this, "realm", {
      provider: props.provider,
      metadata: { name, namespace: props.namespace, labels },
      data: { [`${props.realmName}.json`]: realmJson },
    });
    const secrets = new SecretV1(this, "secrets", {
      provider: props.provider,
      metadata: { name: `${name}-secrets`, namespace: props.namespace, labels },
      data: { [REALM_ENV.entraClientSecret]: props.entraClientSecret, [REALM_ENV.grafanaClientSecret]: props.grafanaClientSecret },
    });

    const fromSecret = (envName: string, secret: string, key: string) => ({ name: envName, valueFrom: { secretKeyRef: { name: secret, key } } });
    const template: JobV1SpecTemplate = {
      metadata: { labels, annotations: { "platform-bootstrap/realm-sha256": digest } },
      spec: {
        restartPolicy: "Never",
        securityContext: { runAsNonRoot: true, runAsUser: "65534", seccompProfile: { type: "RuntimeDefault" } },
        container: [
          {
            name: "keycloak-config-cli",
            image: image(IMAGES.keycloakConfigCli),
            env: [
              { name: "KEYCLOAK_URL", value: props.keycloakUrl },
              { name: "KEYCLOAK_USER", value: "admin" },
              fromSecret("KEYCLOAK_PASSWORD", props.adminSecret.name, props.adminSecret.key),
              { name: "KEYCLOAK_AVAILABILITYCHECK_ENABLED", value: "true" },
              { name: "KEYCLOAK_AVAILABILITYCHECK_TIMEOUT", value: "300s" },
              { name: "IMPORT_FILES_LOCATIONS", value: "/config/*" },
              { name: "IMPORT_VARSUBSTITUTION_ENABLED", value: "true" },
              { name: "IMPORT_CACHE_ENABLED", value: "false" },
              { name: "IMPORT_REMOTESTATE_ENABLED", value: "true" },
              { name: REALM_ENV.entraClientId, value: props.entraClientId },
              ...PERSONAS.map((p) => ({ name: REALM_ENV.group(p), value: props.groupIds[p] })),
              fromSecret(REALM_ENV.entraClientSecret, `${name}-secrets`, REALM_ENV.entraClientSecret),
              fromSecret(REALM_ENV.grafanaClientSecret, `${name}-secrets`, REALM_ENV.grafanaClientSecret),
              { name: "JAVA_OPTS", value: "-XX:MaxRAMPercentage=75.0 -Djava.io.tmpdir=/tmp" },
            ],
            volumeMount: [
              { name: "realm", mountPath: "/config", readOnly: true },
              { name: "tmp", mountPath: "/tmp" },
            ],
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } },
            resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } },
          },
        ],
        volume: [
          { name: "realm", configMap: { name } },
          { name: "tmp", emptyDir: {} },
        ],
      },
    };

    this.job = new JobV1(this, "apply", {
      provider: props.provider,
      metadata: { name: `${name}-apply-${digest}`, namespace: props.namespace, labels },
      spec: { backoffLimit: 3, ttlSecondsAfterFinished: "86400", template },
      waitForCompletion: true,
      timeouts: { create: "10m", update: "10m" },
      dependsOn: [config, secrets],
      // A rotated secret or a recreated group makes the Job run again.
      lifecycle: { replaceTriggeredBy: [secrets] },
    });
    new CronJobV1(this, "reconcile", {
      provider: props.provider,
      metadata: { name: `${name}-reconcile`, namespace: props.namespace, labels },
      spec: {
        schedule: "17 * * * *",
        concurrencyPolicy: "Forbid",
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: { metadata: { labels }, spec: { backoffLimit: 1, template } },
      },
      dependsOn: [config, secrets],
    });
  }
}
