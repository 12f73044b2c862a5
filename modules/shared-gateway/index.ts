/**
 * SharedGateway: the one public entrance of the platform (DESIGN §5). A Gateway of GKE's managed class (global
 * external Application Load Balancer) on a reserved static address, HTTPS only: one HTTPS listener per public
 * hostname with a certificate from cert-manager, and the HTTP listener answering every request with a redirect to
 * HTTPS (ACME HTTP-01 challenges excepted: their routes are more specific).
 *
 * Routes attach from the namespaces labelled `platform-bootstrap/gateway-access=true` only; services stay
 * ClusterIP and are never public on their own. Gateway API CRDs come with GKE (cluster created with the Gateway API
 * enabled), so these objects are planned as kubernetes_manifest.
 */
import { Construct } from "constructs";
import { ComputeGlobalAddress } from "@cdktf/provider-google/lib/compute-global-address";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import type { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import type { PlatformNamespace } from "../platform-namespace";

/** Label a namespace needs before its HTTPRoutes may attach to the Gateway. */
export const GATEWAY_ACCESS_LABEL = { "platform-bootstrap/gateway-access": "true" } as const;

export const GATEWAY = { name: "platform", namespace: "gateway", httpListener: "http" } as const;

/** Listener name of a public hostname. */
export const listenerName = (key: string) => `https-${key}`;

export interface SharedGatewayProps {
  readonly provider: KubernetesProvider;
  readonly namespace: PlatformNamespace;
  readonly project: string;
  /** Environment name, part of the static address's name. */
  readonly environment: string;
  /** Public hostnames by key (`keycloak: auth.example.com`); one HTTPS listener and one certificate each. */
  readonly hostnames: Record<string, string>;
  /** ClusterIssuer that signs the certificates. */
  readonly clusterIssuer: string;
}

export class SharedGateway extends Construct {
  readonly address: ComputeGlobalAddress;
  readonly gateway: Manifest;
  private readonly props: SharedGatewayProps;

  constructor(scope: Construct, id: string, props: SharedGatewayProps) {
    super(scope, id);
    this.props = props;
    if (props.namespace.name !== GATEWAY.namespace) throw new Error(`SharedGateway: the namespace must be "${GATEWAY.namespace}"`);
    this.address = new ComputeGlobalAddress(this, "address", {
      project: props.project,
      name: `${props.environment}-platform-gateway`,
      description: "Public address of the platform's shared Gateway (point the DNS records of every public hostname here)",
      addressType: "EXTERNAL",
      ipVersion: "IPV4",
      lifecycle: { preventDestroy: true },
    });
    const https = Object.entries(props.hostnames).map(([key, hostname]) => ({
      name: listenerName(key),
      protocol: "HTTPS",
      port: 443,
      hostname,
      tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", group: "", name: certificateSecret(key) }] },
      allowedRoutes: { namespaces: { from: "Selector", selector: { matchLabels: { ...GATEWAY_ACCESS_LABEL } } } },
    }));
    this.gateway = new Manifest(this, "gateway", {
      provider: props.provider,
      manifest: {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "Gateway",
        metadata: { name: GATEWAY.name, namespace: GATEWAY.namespace },
        spec: {
          gatewayClassName: "gke-l7-global-external-managed",
          addresses: [{ type: "NamedAddress", value: this.address.name }],
          listeners: [
            { name: GATEWAY.httpListener, protocol: "HTTP", port: 80, allowedRoutes: { namespaces: { from: "Same" } } },
            ...https,
          ],
        },
      },
      dependsOn: [props.namespace.resource],
    });
    new Manifest(this, "http-redirect", {
      provider: props.provider,
      manifest: {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "HTTPRoute",
        metadata: { name: "http-to-https", namespace: GATEWAY.namespace },
        spec: {
          parentRefs: [{ name: GATEWAY.name, sectionName: GATEWAY.httpListener }],
          rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }],
        },
      },
      dependsOn: [this.gateway],
    });
  }

  /**
   * The Certificates of the public hostnames, as manifests (their CRD comes from cert-manager in the same stack, so
   * they ride in a Helm release; see stacks/commons.ts). A temporary self-signed certificate is issued at once so
   * that the HTTPS listeners can be programmed while the ACME HTTP-01 challenge is pending.
   */
  certificates(): object[] {
    return Object.entries(this.props.hostnames).map(([key, hostname]) => ({
      apiVersion: "cert-manager.io/v1",
      kind: "Certificate",
      metadata: {
        name: certificateSecret(key),
        namespace: GATEWAY.namespace,
        annotations: { "cert-manager.io/issue-temporary-certificate": "true" },
      },
      spec: {
        secretName: certificateSecret(key),
        dnsNames: [hostname],
        issuerRef: { kind: "ClusterIssuer", name: this.props.clusterIssuer },
        privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
      },
    }));
  }
}

/** Secret (and Certificate) name of a public hostname's certificate. */
export const certificateSecret = (key: string) => `${key}-tls`;

export interface GatewayRouteProps {
  readonly provider: KubernetesProvider;
  /** Namespace of the route and its backend; it must carry GATEWAY_ACCESS_LABEL. */
  readonly namespace: PlatformNamespace;
  readonly name: string;
  /** Key of the hostname in the Gateway (its HTTPS listener). */
  readonly listener: string;
  readonly hostname: string;
  readonly service: string;
  readonly port: number;
  /** Path prefixes routed to the service; default everything. Anything else gets a 404 from the Gateway. */
  readonly pathPrefixes?: readonly string[];
  /** Exact paths routed to the service. */
  readonly exactPaths?: readonly string[];
}

/** GatewayRoute: an HTTPRoute from one public hostname of the shared Gateway to a Service. */
export class GatewayRoute extends Construct {
  readonly route: Manifest;

  constructor(scope: Construct, id: string, props: GatewayRouteProps) {
    super(scope, id);
    const matches = [
      ...(props.exactPaths ?? []).map((value) => ({ path: { type: "Exact", value } })),
      ...(props.pathPrefixes ?? (props.exactPaths ? [] : ["/"])).map((value) => ({ path: { type: "PathPrefix", value } })),
    ];
    this.route = new Manifest(this, "route", {
      provider: props.provider,
      manifest: {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "HTTPRoute",
        metadata: { name: props.name, namespace: props.namespace.name },
        spec: {
          parentRefs: [{ name: GATEWAY.name, namespace: GATEWAY.namespace, sectionName: listenerName(props.listener) }],
          hostnames: [props.hostname],
          rules: [{ matches, backendRefs: [{ name: props.service, port: props.port }] }],
        },
      },
      dependsOn: [props.namespace.resource],
    });
  }
}

export interface GkeHealthCheckProps {
  readonly provider: KubernetesProvider;
  readonly namespace: PlatformNamespace;
  readonly service: string;
  readonly port: number;
  readonly path: string;
}

/**
 * GkeHealthCheck: where the load balancer checks a Service's pods, when the serving port's `/` is not a health
 * endpoint (Keycloak's is on its management port, Grafana's `/` redirects).
 */
export class GkeHealthCheck extends Construct {
  constructor(scope: Construct, id: string, props: GkeHealthCheckProps) {
    super(scope, id);
    new Manifest(this, "policy", {
      provider: props.provider,
      manifest: {
        apiVersion: "networking.gke.io/v1",
        kind: "HealthCheckPolicy",
        metadata: { name: props.service, namespace: props.namespace.name },
        spec: {
          default: { config: { type: "HTTP", httpHealthCheck: { port: props.port, requestPath: props.path } } },
          targetRef: { group: "", kind: "Service", name: props.service },
        },
      },
      dependsOn: [props.namespace.resource],
    });
  }
}
