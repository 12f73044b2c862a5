/**
 * WorkforceIdentityFederation: the alternative to GKE Identity Service (DESIGN §6) that Google recommends for new
 * organizations: a workforce pool with Entra ID as its OIDC provider. Users sign in with gcloud; RBAC binds the
 * persona groups as `principalSet://iam.googleapis.com/locations/global/workforcePools/<pool>/group/<Entra group id>`,
 * and each persona may read the cluster object (roles/container.clusterViewer) to fetch credentials.
 */
import { Construct } from "constructs";
import { IamWorkforcePool } from "@cdktf/provider-google/lib/iam-workforce-pool";
import { IamWorkforcePoolProvider } from "@cdktf/provider-google/lib/iam-workforce-pool-provider";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";

export interface WorkforceIdentityProps {
  readonly organizationId: string;
  readonly poolId: string;
  readonly project: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Entra group object ids of the personas. */
  readonly groupIds: Readonly<Record<string, string>>;
}

export const WORKFORCE_PROVIDER_ID = "entra";

/** The RBAC subject of an Entra group through a workforce pool. */
export const principalSet = (poolId: string, groupId: string) =>
  `principalSet://iam.googleapis.com/locations/global/workforcePools/${poolId}/group/${groupId}`;

/** The redirect URI the Entra application needs for the workforce provider. */
export const workforceRedirectUri = (poolId: string) =>
  `https://auth.cloud.google/signin-callback/locations/global/workforcePools/${poolId}/providers/${WORKFORCE_PROVIDER_ID}`;

export class WorkforceIdentityFederation extends Construct {
  constructor(scope: Construct, id: string, props: WorkforceIdentityProps) {
    super(scope, id);
    const pool = new IamWorkforcePool(this, "pool", {
      workforcePoolId: props.poolId,
      parent: `organizations/${props.organizationId}`,
      location: "global",
      displayName: "Platform (Entra ID)",
      sessionDuration: "28800s",
    });
    new IamWorkforcePoolProvider(this, "provider", {
      workforcePoolId: pool.workforcePoolId,
      location: "global",
      providerId: WORKFORCE_PROVIDER_ID,
      displayName: "Microsoft Entra ID",
      attributeMapping: {
        "google.subject": "assertion.sub",
        "google.groups": "assertion.groups",
        "google.display_name": "assertion.preferred_username",
      },
      oidc: {
        issuerUri: `https://login.microsoftonline.com/${props.tenantId}/v2.0`,
        clientId: props.clientId,
        clientSecret: { value: { plainText: props.clientSecret } },
        webSsoConfig: { responseType: "CODE", assertionClaimsBehavior: "MERGE_USER_INFO_OVER_ID_TOKEN_CLAIMS" },
      },
    });
    for (const [persona, groupId] of Object.entries(props.groupIds)) {
      new ProjectIamMember(this, `cluster-viewer-${persona}`, {
        project: props.project,
        role: "roles/container.clusterViewer",
        member: principalSet(props.poolId, groupId),
      });
    }
  }
}
