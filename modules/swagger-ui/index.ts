/**
 * Swagger UI: the API's OpenAPI document as served through the gateway (`https://api.<domain>/`, public), with an
 * "Authorize" field where a user pastes their client token; every call it makes goes through the gateway with that
 * token. Public at `https://swagger.<domain>`. The image's entrypoint rewrites its own files at start, so its root
 * filesystem stays writable; everything else is restricted.
 */
import { Construct } from "constructs";
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import type { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { image, IMAGES } from "../../lib/versions";
import { API_APPS } from "../network-policies";
import type { PlatformNamespace } from "../platform-namespace";
import { GatewayRoute } from "../shared-gateway";

export const SWAGGER_PORT = 8080;

export interface SwaggerUiProps {
  readonly provider: KubernetesProvider;
  readonly namespace: PlatformNamespace;
  readonly hostname: string;
  /** The API's public URL (its `/` is the OpenAPI document). */
  readonly apiUrl: string;
}

export class SwaggerUi extends Construct {
  constructor(scope: Construct, id: string, props: SwaggerUiProps) {
    super(scope, id);
    const ns = props.namespace.name;
    const labels = { "app.kubernetes.io/name": API_APPS.swagger, "app.kubernetes.io/part-of": "mock-data-api" };
    const probe = { httpGet: { path: "/", port: String(SWAGGER_PORT) }, periodSeconds: 10 };
    new DeploymentV1(this, "deployment", {
      provider: props.provider,
      metadata: { name: API_APPS.swagger, namespace: ns, labels },
      spec: {
        replicas: "1",
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: "101", runAsGroup: "101", seccompProfile: { type: "RuntimeDefault" } },
            container: [
              {
                name: "swagger-ui",
                image: image(IMAGES.swaggerUi),
                port: [{ name: "http", containerPort: SWAGGER_PORT }],
                env: [
                  { name: "URL", value: props.apiUrl },
                  { name: "PORT", value: String(SWAGGER_PORT) },
                  { name: "PERSIST_AUTHORIZATION", value: "false" },
                  { name: "TRY_IT_OUT_ENABLED", value: "true" },
                ],
                livenessProbe: probe,
                readinessProbe: probe,
                securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ["ALL"] } },
                resources: { requests: { cpu: "20m", memory: "32Mi" }, limits: { memory: "128Mi" } },
              },
            ],
          },
        },
      },
      dependsOn: [props.namespace.resource],
    });
    new ServiceV1(this, "service", {
      provider: props.provider,
      metadata: { name: API_APPS.swagger, namespace: ns, labels },
      spec: { type: "ClusterIP", selector: labels, port: [{ name: "http", port: SWAGGER_PORT, targetPort: "http" }] },
      dependsOn: [props.namespace.resource],
    });
    new GatewayRoute(this, "route", {
      provider: props.provider,
      namespace: props.namespace,
      name: API_APPS.swagger,
      listener: "swagger",
      hostname: props.hostname,
      service: API_APPS.swagger,
      port: SWAGGER_PORT,
    });
  }
}
