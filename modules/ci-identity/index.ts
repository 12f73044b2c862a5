/**
 * CiIdentity: what CI deploys with, without any long-lived key (DESIGN §1):
 * - a Google service account with the least project roles a deploy of these stacks needs (CI_ROLES, each with
 *   its reason), plus object access to the state bucket;
 * - Workload Identity Federation for GitHub Actions (and/or GitLab CI), restricted to this repository and to its
 *   protected branch, its deployment environments, and its own pull requests (plans);
 * - an Entra ID application with federated credentials for the same workflows (the azuread provider then needs no
 *   client secret), allowed by Microsoft Graph to manage the applications it owns and the platform's groups.
 */
import { Construct } from "constructs";
import { AppRoleAssignment } from "@cdktf/provider-azuread/lib/app-role-assignment";
import { Application } from "@cdktf/provider-azuread/lib/application";
import { ApplicationFederatedIdentityCredential } from "@cdktf/provider-azuread/lib/application-federated-identity-credential";
import { DataAzureadServicePrincipal } from "@cdktf/provider-azuread/lib/data-azuread-service-principal";
import { ServicePrincipal } from "@cdktf/provider-azuread/lib/service-principal";
import { IamWorkloadIdentityPool } from "@cdktf/provider-google/lib/iam-workload-identity-pool";
import { IamWorkloadIdentityPoolProvider } from "@cdktf/provider-google/lib/iam-workload-identity-pool-provider";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { ServiceAccountIamMember } from "@cdktf/provider-google/lib/service-account-iam-member";
import type { PlatformBucket } from "../platform-bucket";

/** Project roles of the CI service account, and why each is needed. */
export const CI_ROLES: Readonly<Record<string, string>> = {
  "roles/container.admin": "manage Kubernetes objects, RBAC included, in the cluster (every in-cluster stack)",
  "roles/storage.admin": "create and configure the platform's buckets (logs, backups, dumps)",
  "roles/iam.serviceAccountAdmin": "create the workloads' Google service accounts and their Workload Identity bindings",
  "roles/compute.publicIpAdmin": "reserve the shared Gateway's global address",
};

const GITHUB_ISSUER = "https://token.actions.githubusercontent.com";
const MICROSOFT_GRAPH = "00000003-0000-0000-c000-000000000000";
/** Graph application permissions of the CI application (granted by code: no click in the portal). */
export const CI_GRAPH_PERMISSIONS = ["Application.ReadWrite.OwnedBy", "Group.ReadWrite.All", "AppRoleAssignment.ReadWrite.All"] as const;

export interface CiIdentityProps {
  readonly project: string;
  readonly environment: string;
  readonly stateBucket?: PlatformBucket;
  readonly github?: { readonly repository: string; readonly branch: string };
  readonly gitlab?: { readonly project: string; readonly host: string; readonly branch: string };
  /** Entra owners of the CI application. */
  readonly owners: readonly string[];
}

export class CiIdentity extends Construct {
  readonly serviceAccount: ServiceAccount;
  readonly pool?: IamWorkloadIdentityPool;
  readonly providers: Record<string, IamWorkloadIdentityPoolProvider> = {};
  readonly application: Application;

  constructor(scope: Construct, id: string, props: CiIdentityProps) {
    super(scope, id);
    this.serviceAccount = new ServiceAccount(this, "service-account", {
      project: props.project,
      accountId: `${props.environment}-ci`,
      displayName: `CI deploys (${props.environment})`,
      description: "Used by CI through Workload Identity Federation only; it has no key.",
    });
    const member = `serviceAccount:${this.serviceAccount.email}`;
    for (const role of Object.keys(CI_ROLES)) {
      new ProjectIamMember(this, `role-${role.split("/")[1].replace(/\./g, "-")}`, { project: props.project, role, member });
    }
    props.stateBucket?.grant("ci-state", member, "roles/storage.objectAdmin");

    if (props.github || props.gitlab) {
      this.pool = new IamWorkloadIdentityPool(this, "pool", {
        project: props.project,
        workloadIdentityPoolId: `${props.environment}-ci`,
        displayName: `CI of ${props.environment}`,
        description: "Deploys of the platform from its repository's CI",
      });
    }
    if (props.github) {
      const g = props.github;
      // This repository only; and of its runs, the protected branch, its deployment environments and its pull requests.
      const condition = `assertion.repository == "${g.repository}" && (assertion.ref == "refs/heads/${g.branch}" || assertion.environment == "${props.environment}" || assertion.event_name == "pull_request")`;
      this.providers.github = new IamWorkloadIdentityPoolProvider(this, "github", {
        project: props.project,
        workloadIdentityPoolId: this.pool!.workloadIdentityPoolId,
        workloadIdentityPoolProviderId: "github",
        displayName: "GitHub Actions",
        attributeMapping: {
          "google.subject": "assertion.sub",
          "attribute.repository": "assertion.repository",
          "attribute.ref": "assertion.ref",
          "attribute.environment": "assertion.environment",
        },
        attributeCondition: condition,
        oidc: { issuerUri: GITHUB_ISSUER },
      });
      new ServiceAccountIamMember(this, "github-wif", {
        serviceAccountId: this.serviceAccount.name,
        role: "roles/iam.workloadIdentityUser",
        member: `principalSet://iam.googleapis.com/${this.pool!.name}/attribute.repository/${g.repository}`,
      });
    }
    if (props.gitlab) {
      const l = props.gitlab;
      this.providers.gitlab = new IamWorkloadIdentityPoolProvider(this, "gitlab", {
        project: props.project,
        workloadIdentityPoolId: this.pool!.workloadIdentityPoolId,
        workloadIdentityPoolProviderId: "gitlab",
        displayName: "GitLab CI",
        attributeMapping: { "google.subject": "assertion.sub", "attribute.project_path": "assertion.project_path", "attribute.ref_protected": "assertion.ref_protected" },
        attributeCondition: `assertion.project_path == "${l.project}" && (assertion.ref_protected == "true" || assertion.pipeline_source == "merge_request_event")`,
        oidc: { issuerUri: `https://${l.host}`, allowedAudiences: [`https://${l.host}`] },
      });
      new ServiceAccountIamMember(this, "gitlab-wif", {
        serviceAccountId: this.serviceAccount.name,
        role: "roles/iam.workloadIdentityUser",
        member: `principalSet://iam.googleapis.com/${this.pool!.name}/attribute.project_path/${l.project}`,
      });
    }

    this.application = new Application(this, "entra-application", {
      displayName: `Platform ${props.environment} CI`,
      owners: [...props.owners],
      signInAudience: "AzureADMyOrg",
      preventDuplicateNames: true,
    });
    const sp = new ServicePrincipal(this, "entra-service-principal", { clientId: this.application.clientId, owners: [...props.owners] });
    const graph = new DataAzureadServicePrincipal(this, "microsoft-graph", { clientId: MICROSOFT_GRAPH });
    for (const permission of CI_GRAPH_PERMISSIONS) {
      new AppRoleAssignment(this, `graph-${permission.replace(/\./g, "-")}`, {
        appRoleId: graph.appRoleIds.lookup(permission),
        principalObjectId: sp.objectId,
        resourceObjectId: graph.objectId,
      });
    }
    const subjects: Record<string, string> = {};
    if (props.github) {
      const r = props.github.repository;
      Object.assign(subjects, {
        "github-branch": `repo:${r}:ref:refs/heads/${props.github.branch}`,
        "github-environment": `repo:${r}:environment:${props.environment}`,
        "github-pull-request": `repo:${r}:pull_request`,
      });
    }
    if (props.gitlab) subjects["gitlab-branch"] = `project_path:${props.gitlab.project}:ref_type:branch:ref:${props.gitlab.branch}`;
    for (const [name, subject] of Object.entries(subjects)) {
      new ApplicationFederatedIdentityCredential(this, `federated-${name}`, {
        applicationId: this.application.id,
        displayName: name,
        issuer: name.startsWith("github") ? GITHUB_ISSUER : `https://${props.gitlab!.host}`,
        subject,
        audiences: ["api://AzureADTokenExchange"],
      });
    }
  }
}
