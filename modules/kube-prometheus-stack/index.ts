/**
 * Monitoring: kube-prometheus-stack (Prometheus, Alertmanager, Grafana, kube-state-metrics, node exporter).
 *
 * - Prometheus keeps `retention` / `retentionSize` on a persistent volume and selects every ServiceMonitor,
 *   PodMonitor, PrometheusRule and Probe of every namespace (not only the chart's own).
 * - Alertmanager (persistent) routes the alerts of every namespace through its global configuration to e-mail
 *   and Microsoft Teams; the SMTP password and the Teams Workflows URL are files mounted from Secrets.
 * - Grafana: admin credentials from a Secret, persistent storage, the Loki datasource with the platform tenant,
 *   and sign-in through Keycloak (OIDC, PKCE), its client secret from a Secret.
 * - The node exporter runs in its own namespace, the only one of this release that needs `privileged`.
 */
import { Construct } from "constructs";
import type { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import type { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import type { ITerraformDependable } from "cdktf";
import { CHARTS } from "../../lib/versions";
import { HelmChart } from "../helm-chart";
import { KubernetesSecret } from "../kubernetes-secret";
import type { PlatformNamespace } from "../platform-namespace";
import { SecretVariable } from "../secret-variable";

export interface MonitoringProps {
  readonly helm: HelmProvider;
  readonly kubernetes: KubernetesProvider;
  readonly namespace: PlatformNamespace;
  /** Namespace of the node exporter (privileged). */
  readonly nodeExporterNamespace: PlatformNamespace;
  readonly storageClass: string;
  readonly retention: string;
  readonly retentionSize: string;
  readonly prometheusStorage: string;
  readonly alertmanagerStorage: string;
  readonly grafanaStorage: string;
  /** E-mail receiver; none when omitted. */
  readonly email?: { readonly to: readonly string[]; readonly smarthost: string; readonly from: string; readonly username: string };
  /** Microsoft Teams receiver (Workflows webhook). */
  readonly teams: boolean;
  readonly grafana: {
    readonly hostname: string;
    /** Keycloak realm issuer, e.g. https://auth.example.com/realms/kubernetes */
    readonly oidcIssuer: string;
    readonly oidcClientId: string;
    /** Loki query URL and tenant. */
    readonly loki: { readonly url: string; readonly tenant: string };
  };
  /**
   * Custom resources whose CRDs other releases of the stack install (ClusterIssuers, Certificates): installed with
   * this release, which therefore depends on those releases.
   */
  readonly extraManifests?: readonly object[];
  readonly dependsOn?: ITerraformDependable[];
}

const ALERTMANAGER_SECRETS = "/etc/alertmanager/secrets";
export const GRAFANA_SERVICE = { name: "kube-prometheus-stack-grafana", port: 80 } as const;

export class Monitoring extends Construct {
  readonly chart: HelmChart;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const secret = (sid: string, name: string, data: Record<string, string>) =>
      new KubernetesSecret(this, sid, { provider: props.kubernetes, namespace: props.namespace, name, data });

    const grafanaAdmin = new SecretVariable(this, "grafana_admin_password", { description: "Password of Grafana's break-glass admin user" });
    const grafanaOidc = new SecretVariable(this, "grafana_oidc_client_secret", {
      description: "Client secret of the grafana client in the Keycloak realm (the identity stack uses the same value)",
    });
    const secrets = [
      secret("grafana-admin", "grafana-admin", { "admin-user": "admin", "admin-password": grafanaAdmin.value }),
      secret("grafana-oidc", "grafana-oidc", { "client-secret": grafanaOidc.value }),
    ];

    const receiver: Record<string, unknown> = { name: "platform" };
    const mounted: string[] = [];
    if (props.email) {
      const smtp = new SecretVariable(this, "alertmanager_smtp_password", { description: `Password of ${props.email.username} on ${props.email.smarthost}` });
      secrets.push(secret("alertmanager-smtp", "alertmanager-smtp", { password: smtp.value }));
      mounted.push("alertmanager-smtp");
      receiver.email_configs = props.email.to.map((to) => ({
        to,
        from: props.email!.from,
        smarthost: props.email!.smarthost,
        auth_username: props.email!.username,
        auth_password_file: `${ALERTMANAGER_SECRETS}/alertmanager-smtp/password`,
        require_tls: true,
        send_resolved: true,
      }));
    }
    if (props.teams) {
      const webhook = new SecretVariable(this, "alertmanager_teams_webhook_url", {
        description: "Microsoft Teams Workflows webhook URL of the alerts channel",
      });
      secrets.push(secret("alertmanager-teams", "alertmanager-teams", { "webhook-url": webhook.value }));
      mounted.push("alertmanager-teams");
      receiver.msteamsv2_configs = [{ webhook_url_file: `${ALERTMANAGER_SECRETS}/alertmanager-teams/webhook-url`, send_resolved: true }];
    }
    const volume = (size: string) => ({
      volumeClaimTemplate: { spec: { storageClassName: props.storageClass, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: size } } } },
    });
    const oidc = `${props.grafana.oidcIssuer}/protocol/openid-connect`;

    this.chart = new HelmChart(this, "kube-prometheus-stack", {
      chart: CHARTS.kubePrometheusStack,
      namespace: props.namespace,
      provider: props.helm,
      timeoutSeconds: 900,
      dependsOn: [...secrets.map((s) => s.resource), props.nodeExporterNamespace.resource, ...(props.dependsOn ?? [])],
      values: {
        ...(props.extraManifests?.length ? { extraManifests: props.extraManifests } : {}),
        alertmanager: {
          config: {
            global: { resolve_timeout: "5m" },
            route: {
              receiver: mounted.length ? "platform" : "null",
              group_by: ["namespace", "alertname"],
              routes: [{ receiver: "null", matchers: ['alertname = "Watchdog"'] }],
            },
            receivers: [{ name: "null" }, ...(mounted.length ? [receiver] : [])],
          },
          alertmanagerSpec: {
            secrets: mounted,
            // The global route above already sees every namespace; AlertmanagerConfig objects of other namespaces
            // would otherwise be limited to alerts of their own namespace.
            alertmanagerConfigMatcherStrategy: { type: "None" },
            storage: volume(props.alertmanagerStorage),
            resources: { requests: { cpu: "20m", memory: "64Mi" }, limits: { memory: "256Mi" } },
          },
        },
        prometheus: {
          prometheusSpec: {
            retention: props.retention,
            retentionSize: props.retentionSize,
            ruleSelectorNilUsesHelmValues: false,
            serviceMonitorSelectorNilUsesHelmValues: false,
            podMonitorSelectorNilUsesHelmValues: false,
            probeSelectorNilUsesHelmValues: false,
            scrapeConfigSelectorNilUsesHelmValues: false,
            storageSpec: volume(props.prometheusStorage),
            resources: { requests: { cpu: "200m", memory: "1Gi" }, limits: { memory: "3Gi" } },
          },
        },
        prometheusOperator: { resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "512Mi" } } },
        "kube-state-metrics": { resources: { requests: { cpu: "20m", memory: "64Mi" }, limits: { memory: "256Mi" } } },
        "prometheus-node-exporter": {
          namespaceOverride: props.nodeExporterNamespace.name,
          resources: { requests: { cpu: "20m", memory: "32Mi" }, limits: { memory: "128Mi" } },
        },
        grafana: {
          admin: { existingSecret: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" },
          persistence: { enabled: true, type: "pvc", size: props.grafanaStorage, storageClassName: props.storageClass, accessModes: ["ReadWriteOnce"] },
          // A ReadWriteOnce volume cannot be attached to the old and the new pod at once.
          deploymentStrategy: { type: "Recreate" },
          // The chown init container runs as root (not allowed under `restricted`); fsGroup gives the volume's ownership.
          initChownData: { enabled: false },
          envValueFrom: { GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET: { secretKeyRef: { name: "grafana-oidc", key: "client-secret" } } },
          "grafana.ini": {
            server: { root_url: `https://${props.grafana.hostname}` },
            "auth.generic_oauth": {
              enabled: true,
              name: "Keycloak",
              allow_sign_up: true,
              client_id: props.grafana.oidcClientId,
              scopes: "openid email profile",
              use_pkce: true,
              auth_url: `${oidc}/auth`,
              token_url: `${oidc}/token`,
              api_url: `${oidc}/userinfo`,
              signout_redirect_url: `${oidc}/logout`,
              email_attribute_path: "email",
              login_attribute_path: "preferred_username",
              name_attribute_path: "name",
              groups_attribute_path: "groups",
              role_attribute_path: "contains(groups[*], 'admins') && 'Admin' || contains(groups[*], 'developers') && 'Editor' || 'Viewer'",
            },
          },
          additionalDataSources: [
            {
              name: "Loki",
              uid: "loki",
              type: "loki",
              access: "proxy",
              url: props.grafana.loki.url,
              // The tenant is an identifier, not a secret (this lands in a ConfigMap).
              jsonData: { httpHeaderName1: "X-Scope-OrgID", maxLines: 1000 },
              secureJsonData: { httpHeaderValue1: props.grafana.loki.tenant },
            },
          ],
          resources: { requests: { cpu: "50m", memory: "256Mi" }, limits: { memory: "512Mi" } },
        },
      },
    });
  }
}
