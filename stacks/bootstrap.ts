/**
 * bootstrap: run once per environment by an administrator, before anything else (docs/gitops.md).
 * Providers: google, azuread. The state bucket, CI's identity (no long-lived key anywhere) and, optionally, the
 * hardened GKE cluster. Its own state stays local until moved into the bucket it creates (docs/bootstrap.md).
 */
import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { CiIdentity } from "../modules/ci-identity";
import { GkeCluster } from "../modules/gke-cluster";
import { PlatformBucket } from "../modules/platform-bucket";
import { PlatformStack, type PlatformStackProps } from "./platform-stack";

export class BootstrapStack extends PlatformStack {
  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, "bootstrap", props);
    this.addGoogleProvider();
    this.addAzureadProvider();
    const c = this.config;
    const env = this.environmentName;

    const stateBucket = c.state.bucket
      ? new PlatformBucket(this, "state", { project: c.gcp.project, name: c.state.bucket, location: c.gcp.region, noncurrentVersionDays: 90 })
      : undefined;
    const ci = new CiIdentity(this, "ci", {
      project: c.gcp.project,
      environment: env,
      stateBucket,
      github: c.ci.github,
      gitlab: c.ci.gitlab,
      owners: c.identity.owners,
    });
    if (c.cluster.create) {
      new GkeCluster(this, "cluster", {
        project: c.gcp.project,
        name: c.cluster.name,
        location: c.cluster.location,
        environment: env,
        ...c.cluster.create,
        authorizedNetworks: c.cluster.authorizedNetworks,
        identityService: c.identity.authMode === "identityService",
      });
    }

    // What the CI workflows need (repository variables; none of them is secret).
    new TerraformOutput(this, "ci_service_account", { value: ci.serviceAccount.email });
    if (ci.providers.github) new TerraformOutput(this, "github_workload_identity_provider", { value: ci.providers.github.name });
    if (ci.providers.gitlab) new TerraformOutput(this, "gitlab_workload_identity_provider", { value: ci.providers.gitlab.name });
    new TerraformOutput(this, "azure_client_id", { value: ci.application.clientId });
    new TerraformOutput(this, "azure_tenant_id", { value: c.azure.tenantId });
    if (stateBucket) new TerraformOutput(this, "state_bucket", { value: stateBucket.name });
  }
}
