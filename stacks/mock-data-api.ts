/**
 * mock-data-api: PostgreSQL as REST (PostgREST) behind the HAProxy JWT gateway, Swagger UI, pgAdmin and the
 * data loader (docs/mock-data-api.md). Providers: google, kubernetes, helm.
 */
import { Construct } from "constructs";
import type { ClusterAccess } from "../modules/cluster-access";
import { PlatformStack, type PlatformStackProps } from "./platform-stack";

export class MockDataApiStack extends PlatformStack {
  readonly cluster: ClusterAccess;

  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, "mock-data-api", props);
    const google = this.addGoogleProvider();
    this.cluster = this.addClusterAccess(google);
  }
}
