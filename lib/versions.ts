/**
 * Every chart version and container image the platform runs, pinned in one table (DESIGN §10, §11).
 * Versions are not per environment. Upgrading one is a one-line change here, reviewed in its own pull request;
 * `../shared/charts/<chart>/<version>/` must hold the defaults of the version named here.
 */

export interface ChartPin {
  /** Chart name in its repository. */
  readonly chart: string;
  readonly version: string;
  readonly repository: string;
}

export const CHARTS = {
  certManager: { chart: "cert-manager", version: "v1.21.1", repository: "https://charts.jetstack.io" },
  kubePrometheusStack: {
    chart: "kube-prometheus-stack",
    version: "88.5.3",
    repository: "https://prometheus-community.github.io/helm-charts",
  },
  loki: { chart: "loki", version: "18.11.0", repository: "https://grafana-community.github.io/helm-charts" },
  alloy: { chart: "alloy", version: "1.11.1", repository: "https://grafana.github.io/helm-charts" },
  keycloakx: { chart: "keycloakx", version: "7.1.11", repository: "https://codecentric.github.io/helm-charts" },
  cloudnativePg: { chart: "cloudnative-pg", version: "0.29.0", repository: "https://cloudnative-pg.github.io/charts" },
  cnpgCluster: { chart: "cluster", version: "0.8.1", repository: "https://cloudnative-pg.github.io/charts" },
  barmanCloudPlugin: {
    chart: "plugin-barman-cloud",
    version: "0.7.0",
    repository: "https://cloudnative-pg.github.io/charts",
  },
  haproxy: { chart: "haproxy", version: "1.29.0", repository: "https://haproxytech.github.io/helm-charts" },
  pgadmin4: { chart: "pgadmin4", version: "1.66.0", repository: "https://helm.runix.net" },
} as const satisfies Record<string, ChartPin>;

export type ChartKey = keyof typeof CHARTS;

/**
 * Images the platform sets explicitly. Every other image is the one its pinned chart version names (a fixed
 * tag per chart version, never `latest`). No Bitnami images (frozen since August 2025).
 */
export const IMAGES = {
  /** Keycloak, the official image (the keycloakx chart's appVersion). */
  keycloak: { repository: "quay.io/keycloak/keycloak", tag: "26.5.6" },
  /** PostgreSQL for CloudNativePG clusters (Keycloak's): a full minor version, never a floating major tag. */
  postgresql: { repository: "ghcr.io/cloudnative-pg/postgresql", tag: "17.6" },
  /** PostgREST: a current 13.x (12.2.0–12.2.11 served /config, secrets included, on the admin port). */
  postgrest: { repository: "docker.io/postgrest/postgrest", tag: "v13.0.4" },
  /** HAProxy for the API gateway: the current LTS line (3.4), pinned; the chart's default is a non-LTS 3.3. */
  haproxy: { repository: "docker.io/haproxytech/haproxy-alpine", tag: "3.4.2" },
  /** gcloud for the data loader's download step (TLS verified, Workload Identity credentials). */
  googleCloudCli: { repository: "gcr.io/google.com/cloudsdktool/google-cloud-cli", tag: "499.0.0-slim" },
  /** Swagger UI (nginx serving the static UI). */
  swaggerUi: { repository: "docker.io/swaggerapi/swagger-ui", tag: "v5.17.14" },
  /** keycloak-config-cli built against the Keycloak 26.5 line (tag: <cli version>-<Keycloak version>). */
  keycloakConfigCli: { repository: "docker.io/adorsys/keycloak-config-cli", tag: "6.5.0-26.5.4" },
} as const;

/** PostgreSQL images by major version, for the clusters whose major version is configurable. */
export const POSTGRES_IMAGES: Readonly<Record<"16" | "17", string>> = {
  "16": "ghcr.io/cloudnative-pg/postgresql:16.10",
  "17": "ghcr.io/cloudnative-pg/postgresql:17.6",
};

export const image = (pin: { repository: string; tag: string }) => `${pin.repository}:${pin.tag}`;
