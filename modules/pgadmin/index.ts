/**
 * pgAdmin (runix chart): internal only. There is no route: it is reached with
 * `kubectl -n <ns> port-forward svc/pgadmin-pgadmin4 8080:80` by someone who may do so (admins; developers have no
 * port-forward). Its login password comes from a Secret made from the sensitive variable `pgadmin_password`; the API
 * database is pre-registered (pgAdmin asks for the role's password when connecting; none is stored).
 */
import { Construct } from "constructs";
import type { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import type { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { CHARTS } from "../../lib/versions";
import { HelmChart } from "../helm-chart";
import { KubernetesSecret } from "../kubernetes-secret";
import type { PlatformNamespace } from "../platform-namespace";
import { SecretVariable } from "../secret-variable";

export interface PgAdminProps {
  readonly helm: HelmProvider;
  readonly kubernetes: KubernetesProvider;
  readonly namespace: PlatformNamespace;
  /** Login e-mail of pgAdmin's user. */
  readonly email: string;
  /** The pre-registered server. */
  readonly server: { readonly name: string; readonly host: string; readonly database: string; readonly username: string };
}

export class PgAdmin extends Construct {
  readonly chart: HelmChart;

  constructor(scope: Construct, id: string, props: PgAdminProps) {
    super(scope, id);
    const password = new SecretVariable(this, "pgadmin_password", { description: `Password of pgAdmin's login ${props.email}`, minLength: 16 });
    const secret = new KubernetesSecret(this, "credentials", {
      provider: props.kubernetes,
      namespace: props.namespace,
      name: "pgadmin-credentials",
      data: { password: password.value },
    });
    this.chart = new HelmChart(this, "pgadmin", {
      chart: CHARTS.pgadmin4,
      namespace: props.namespace,
      provider: props.helm,
      dependsOn: [secret.resource],
      values: {
        existingSecret: "pgadmin-credentials",
        secretKeys: { pgadminPasswordKey: "password" },
        env: {
          email: props.email,
          // Ignored with existingSecret; emptied so that the chart's default password is nowhere.
          password: "",
          // An unprivileged port: no NET_BIND_SERVICE needed.
          variables: [{ name: "PGADMIN_LISTEN_PORT", value: "8080" }],
        },
        containerPorts: { http: 8080 },
        service: { type: "ClusterIP", port: 80, targetPort: 8080 },
        serverDefinitions: {
          enabled: true,
          resourceType: "ConfigMap",
          servers: {
            api: {
              Name: props.server.name,
              Group: "Platform",
              Host: props.server.host,
              Port: 5432,
              MaintenanceDB: props.server.database,
              Username: props.server.username,
              SSLMode: "require",
            },
          },
        },
        // The cluster's default storage class (the chart's storageClass key is only documented, commented out).
        persistentVolume: { enabled: true, size: "1Gi" },
        // Restricted Pod Security: the chart passes these Kubernetes fields through (its defaults set uid/gid only).
        securityContext: { runAsUser: 5050, runAsGroup: 5050, fsGroup: 5050, runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
        containerSecurityContext: { enabled: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
        // The chart's own NetworkPolicy would admit everyone on its port: ours (network-policies) is stricter.
        networkPolicy: { enabled: false },
        resources: { requests: { cpu: "50m", memory: "256Mi" }, limits: { memory: "512Mi" } },
      },
    });
  }
}
