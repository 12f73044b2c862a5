/**
 * cert-manager (CRDs through the chart) and the ACME ClusterIssuers of Let's Encrypt.
 *
 * Challenge: HTTP-01 through the shared Gateway. It needs no cloud permission (DNS-01 through Cloud DNS needs a
 * Google service account with DNS admin rights on the zone) and works wherever the domain's DNS is hosted; the
 * Gateway is public anyway. Its cost: no wildcard certificates (one per hostname, few here), and DNS must point at
 * the Gateway's address before certificates can be issued. The deadlock of an HTTPS listener waiting for a Secret
 * that only the challenge can create is avoided by issuing a temporary certificate first (shared-gateway).
 *
 * The ClusterIssuers are custom resources whose CRDs this same stack installs, so they cannot be
 * kubernetes_manifest resources (the CRD must exist at plan time) nor part of cert-manager's own release (its CRDs
 * are templates, mapped before anything is created): they ride in a later release (see stacks/commons.ts).
 */
import { Construct } from "constructs";
import type { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { CHARTS } from "../../lib/versions";
import { HelmChart } from "../helm-chart";
import type { PlatformNamespace } from "../platform-namespace";

export const ACME_SERVERS = {
  production: "https://acme-v02.api.letsencrypt.org/directory",
  staging: "https://acme-staging-v02.api.letsencrypt.org/directory",
} as const;

export type AcmeEnvironment = keyof typeof ACME_SERVERS;

/** Name of the ClusterIssuer of an ACME environment. */
export const clusterIssuerName = (env: AcmeEnvironment) => `letsencrypt-${env}`;

export interface CertManagerProps {
  readonly namespace: PlatformNamespace;
  readonly helm: HelmProvider;
}

export class CertManager extends Construct {
  readonly chart: HelmChart;

  constructor(scope: Construct, id: string, props: CertManagerProps) {
    super(scope, id);
    const small = (memory: string) => ({ requests: { cpu: "10m", memory: "64Mi" }, limits: { memory } });
    this.chart = new HelmChart(this, "cert-manager", {
      chart: CHARTS.certManager,
      namespace: props.namespace,
      provider: props.helm,
      values: {
        crds: { enabled: true, keep: true },
        // Gateway API support (the certificate shim and HTTP-01 solver routes); 1.21's name of the setting.
        config: {
          apiVersion: "controller.config.cert-manager.io/v1alpha1",
          kind: "ControllerConfiguration",
          gatewayAPI: { enabled: true },
        },
        replicaCount: 1,
        resources: small("256Mi"),
        webhook: { resources: small("128Mi") },
        cainjector: { resources: small("256Mi") },
        startupapicheck: { resources: small("64Mi") },
      },
    });
  }
}

export interface AcmeIssuersProps {
  readonly email: string;
  /** The Gateway whose HTTP listener serves the HTTP-01 challenges. */
  readonly gateway: { readonly name: string; readonly namespace: string; readonly httpListener: string };
}

/** The two ClusterIssuers (staging and production), as manifests. */
export function acmeClusterIssuers(props: AcmeIssuersProps): object[] {
  return (Object.keys(ACME_SERVERS) as AcmeEnvironment[]).map((env) => ({
    apiVersion: "cert-manager.io/v1",
    kind: "ClusterIssuer",
    metadata: { name: clusterIssuerName(env) },
    spec: {
      acme: {
        server: ACME_SERVERS[env],
        email: props.email,
        privateKeySecretRef: { name: `${clusterIssuerName(env)}-account-key` },
        solvers: [
          {
            http01: {
              gatewayHTTPRoute: {
                parentRefs: [
                  { name: props.gateway.name, namespace: props.gateway.namespace, sectionName: props.gateway.httpListener, kind: "Gateway" },
                ],
              },
            },
          },
        ],
      },
    },
  }));
}
