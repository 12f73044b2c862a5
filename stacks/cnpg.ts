/**
 * cnpg: the mock-data API's PostgreSQL clusters on CloudNativePG, their backups and monitoring (docs/cnpg.md).
 * Providers: google, kubernetes, helm.
 */
import { Construct } from "constructs";
import type { ClusterAccess } from "../modules/cluster-access";
import { PlatformStack, type PlatformStackProps } from "./platform-stack";

export class CnpgStack extends PlatformStack {
  readonly cluster: ClusterAccess;

  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, "cnpg", props);
    const google = this.addGoogleProvider();
    this.cluster = this.addClusterAccess(google);
  }
}
