/**
 * identity: the sign-in chain Entra ID → Keycloak → GKE Identity Service → RBAC (docs/identity.md).
 * Providers: azuread, kubernetes, helm; google only to read the cluster (ClusterAccess in gke mode).
 */
import { Construct } from "constructs";
import type { ClusterAccess } from "../modules/cluster-access";
import { PlatformStack, type PlatformStackProps } from "./platform-stack";

export class IdentityStack extends PlatformStack {
  readonly cluster: ClusterAccess;

  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, "identity", props);
    this.addAzureadProvider();
    const google = this.config.cluster.access === "gke" ? this.addGoogleProvider() : undefined;
    this.cluster = this.addClusterAccess(google);
  }
}
