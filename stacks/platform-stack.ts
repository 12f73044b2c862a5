/**
 * The base of the five stacks: id `<env>-<stack>` (so that every command names its environment), state backend,
 * and the providers that stacks share. Contents live in the subclasses, one file per stack.
 */
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AzureadProvider } from "@cdktf/provider-azuread/lib/provider";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import type { Environment, EnvironmentConfig } from "../lib/config";
import { ClusterAccess } from "../modules/cluster-access";
import { useStateBackend } from "../modules/state-backend";

/** The five deployment units of an environment, in deploy order. */
export const STACK_NAMES = ["bootstrap", "commons", "identity", "cnpg", "mock-data-api"] as const;
export type StackName = (typeof STACK_NAMES)[number];

export interface PlatformStackProps {
  readonly environment: Environment;
  /** The project root (files such as config/gateway-keys/<env> are read from it); default the working directory. */
  readonly root?: string;
}

/** `<env>-<stack>`: the id users pass to `cdktf deploy` and `npm run deploy`. */
export function stackId(environment: string, stack: StackName): string {
  return `${environment}-${stack}`;
}

export abstract class PlatformStack extends TerraformStack {
  readonly environmentName: string;
  readonly config: EnvironmentConfig;
  readonly root: string;

  protected constructor(scope: Construct, stack: StackName, props: PlatformStackProps) {
    super(scope, stackId(props.environment.name, stack));
    this.environmentName = props.environment.name;
    this.config = props.environment.config;
    this.root = props.root ?? process.cwd();
    const state = this.config.state;
    const gcs = stack === "bootstrap" ? state.bootstrap === "gcs" : state.backend === "gcs";
    useStateBackend(
      this,
      gcs ? { kind: "gcs", bucket: state.bucket!, prefix: `${this.environmentName}/${stack}` } : { kind: "local" },
    );
  }

  /**
   * The Google provider for the environment's project and region. Every resource it creates carries the labels
   * `platform_environment` and `platform_stack`, so that what Terraform owns can be found in the console.
   */
  protected addGoogleProvider(): GoogleProvider {
    return new GoogleProvider(this, "google", {
      project: this.config.gcp.project,
      region: this.config.gcp.region,
      defaultLabels: { platform_environment: this.environmentName, platform_stack: this.node.id.slice(this.environmentName.length + 1) },
    });
  }

  /** The azuread provider for the environment's tenant (credentials from the Azure CLI or CI's OIDC federation). */
  protected addAzureadProvider(): AzureadProvider {
    return new AzureadProvider(this, "azuread", { tenantId: this.config.azure.tenantId });
  }

  /** Kubernetes and Helm providers for the environment's cluster (DESIGN §4). */
  protected addClusterAccess(google?: GoogleProvider): ClusterAccess {
    const cluster = this.config.cluster;
    return new ClusterAccess(
      this,
      "cluster-access",
      cluster.access === "gke"
        ? { mode: "gke", clusterName: cluster.name, location: cluster.location, project: this.config.gcp.project, googleProvider: google }
        : { mode: "kubeconfig", path: cluster.kubeconfig!.path, context: cluster.kubeconfig!.context },
    );
  }
}
