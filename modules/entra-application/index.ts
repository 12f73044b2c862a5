/**
 * EntraApplication: the Entra ID side of the sign-in chain (DESIGN §6): the application Keycloak brokers to (web
 * redirect = Keycloak's broker endpoint), its service principal with assignment required (only assigned groups
 * get tokens), a client secret with an expiry and a rotation key, the access group and the persona groups
 * (assigned to the application), and group claims limited to the groups assigned to the application (Entra drops
 * the claim above 200 groups otherwise). Owners from config; nothing is clicked by hand.
 */
import { Construct } from "constructs";
import { AppRoleAssignment } from "@cdktf/provider-azuread/lib/app-role-assignment";
import { Application } from "@cdktf/provider-azuread/lib/application";
import { ApplicationPasswordA } from "@cdktf/provider-azuread/lib/application-password";
import { Group } from "@cdktf/provider-azuread/lib/group";
import { ServicePrincipal } from "@cdktf/provider-azuread/lib/service-principal";

/** The default app role: "the user or group is assigned", when the application defines no app roles. */
const DEFAULT_ACCESS_ROLE = "00000000-0000-0000-0000-000000000000";

export interface EntraApplicationProps {
  readonly displayName: string;
  readonly redirectUris: readonly string[];
  /** Object ids of the owners of the application and the groups. */
  readonly owners: readonly string[];
  /** Groups to create and assign, by key → display name. */
  readonly groups: Readonly<Record<string, string>>;
  /** Client secret: expiry (RFC 3339) and a rotation key whose change makes a new secret. */
  readonly secret: { readonly endDate: string; readonly rotation: string };
}

export class EntraApplication extends Construct {
  readonly application: Application;
  readonly servicePrincipal: ServicePrincipal;
  readonly password: ApplicationPasswordA;
  /** Group object ids (what Entra puts in the `groups` claim), by key. */
  readonly groupIds: Record<string, string> = {};

  constructor(scope: Construct, id: string, props: EntraApplicationProps) {
    super(scope, id);
    this.application = new Application(this, "application", {
      displayName: props.displayName,
      owners: [...props.owners],
      signInAudience: "AzureADMyOrg",
      preventDuplicateNames: true,
      web: { redirectUris: [...props.redirectUris], implicitGrant: { accessTokenIssuanceEnabled: false, idTokenIssuanceEnabled: false } },
      groupMembershipClaims: ["ApplicationGroup"],
      optionalClaims: { idToken: [{ name: "groups" }], accessToken: [{ name: "groups" }] },
    });
    this.servicePrincipal = new ServicePrincipal(this, "service-principal", {
      clientId: this.application.clientId,
      appRoleAssignmentRequired: true,
      owners: [...props.owners],
    });
    this.password = new ApplicationPasswordA(this, "client-secret", {
      applicationId: this.application.id,
      displayName: `keycloak broker (${props.secret.rotation})`,
      endDate: props.secret.endDate,
      rotateWhenChanged: { rotation: props.secret.rotation },
      // The new secret exists before the old one goes: Keycloak gets it in the same deploy.
      lifecycle: { createBeforeDestroy: true },
    });
    for (const [key, displayName] of Object.entries(props.groups)) {
      const group = new Group(this, `group-${key}`, {
        displayName,
        securityEnabled: true,
        preventDuplicateNames: true,
        owners: [...props.owners],
        description: `platform-bootstrap: ${key}`,
      });
      new AppRoleAssignment(this, `assign-${key}`, {
        appRoleId: DEFAULT_ACCESS_ROLE,
        principalObjectId: group.objectId,
        resourceObjectId: this.servicePrincipal.objectId,
      });
      this.groupIds[key] = group.objectId;
    }
  }
}
