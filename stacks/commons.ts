/**
 * commons: the shared platform services every other in-cluster stack relies on (docs/commons.md).
 * Providers: google, kubernetes, helm.
 */
import { Construct } from "constructs";
import type { ClusterAccess } from "../modules/cluster-access";
import { PlatformStack, type PlatformStackProps } from "./platform-stack";

export class CommonsStack extends PlatformStack {
  readonly cluster: ClusterAccess;

  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, "commons", props);
    const google = this.addGoogleProvider();
    this.cluster = this.addClusterAccess(google);
  }
}
