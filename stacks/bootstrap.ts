/**
 * bootstrap: run once per environment by an administrator, before anything else (docs/bootstrap.md).
 * Providers: google, azuread. Contents (state bucket, CI identity, optional GKE cluster) come with the GitOps issue.
 */
import { Construct } from "constructs";
import { PlatformStack, type PlatformStackProps } from "./platform-stack";

export class BootstrapStack extends PlatformStack {
  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, "bootstrap", props);
    this.addGoogleProvider();
    this.addAzureadProvider();
  }
}
