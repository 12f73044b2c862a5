/**
 * WorkloadIdentity: a Google service account for one Kubernetes service account (DESIGN §10): the Google SA, the
 * `roles/iam.workloadIdentityUser` binding that lets `<namespace>/<ksa>` act as it, and the annotation the
 * Kubernetes service account must carry. No JSON key is ever created.
 */
import { Construct } from "constructs";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { ServiceAccountIamMember } from "@cdktf/provider-google/lib/service-account-iam-member";

export interface WorkloadIdentityProps {
  readonly project: string;
  /** Google service account id (6 to 30 characters: lowercase letters, digits, dashes). */
  readonly accountId: string;
  readonly displayName: string;
  /** Namespace and name of the Kubernetes service account. */
  readonly namespace: string;
  readonly kubernetesServiceAccount: string;
}

export class WorkloadIdentity extends Construct {
  readonly serviceAccount: ServiceAccount;
  /** `<account>@<project>.iam.gserviceaccount.com` */
  readonly email: string;
  /** The annotations the Kubernetes service account needs. */
  readonly annotations: Record<string, string>;
  /** The IAM member string of the Google service account, for bucket and project bindings. */
  readonly member: string;

  constructor(scope: Construct, id: string, props: WorkloadIdentityProps) {
    super(scope, id);
    if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(props.accountId)) {
      throw new Error(`WorkloadIdentity "${id}": account id "${props.accountId}" must be 6 to 30 lowercase letters, digits or dashes`);
    }
    this.serviceAccount = new ServiceAccount(this, "account", {
      project: props.project,
      accountId: props.accountId,
      displayName: props.displayName,
      description: `Workload Identity of ${props.namespace}/${props.kubernetesServiceAccount} (platform-bootstrap)`,
    });
    new ServiceAccountIamMember(this, "workload-identity-user", {
      serviceAccountId: this.serviceAccount.name,
      role: "roles/iam.workloadIdentityUser",
      member: `serviceAccount:${props.project}.svc.id.goog[${props.namespace}/${props.kubernetesServiceAccount}]`,
    });
    this.email = `${props.accountId}@${props.project}.iam.gserviceaccount.com`;
    this.member = `serviceAccount:${this.email}`;
    this.annotations = { "iam.gke.io/gcp-service-account": this.email };
  }
}
