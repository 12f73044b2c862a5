/**
 * identity: the sign-in chain Entra ID → Keycloak → GKE Identity Service (or Workforce Identity) → RBAC
 * (docs/identity.md). Providers: azuread, kubernetes, helm, local (login_config.yaml), and google to read the
 * cluster (ClusterAccess in gke mode) and for Workforce Identity.
 */
import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { LocalProvider } from "@cdktf/provider-local/lib/provider";
import { publicHostnames, realmIssuer } from "../lib/hostnames";
import { brokerRedirectUri, PERSONAS, platformRealm } from "../lib/keycloak/realm";
import { personaGroup, type PersonaKey } from "../lib/rbac";
import type { ClusterAccess } from "../modules/cluster-access";
import { EntraApplication } from "../modules/entra-application";
import { IdentityService } from "../modules/identity-service";
import { KEYCLOAK_SERVICE } from "../modules/keycloak";
import { KeycloakRealm } from "../modules/keycloak-realm";
import { PersonaRbac } from "../modules/persona-rbac";
import { SecretVariable } from "../modules/secret-variable";
import { principalSet, workforceRedirectUri, WorkforceIdentityFederation } from "../modules/workforce-identity";
import { COMMONS_NAMESPACES } from "./commons";
import { PlatformStack, type PlatformStackProps } from "./platform-stack";

export class IdentityStack extends PlatformStack {
  readonly cluster: ClusterAccess;

  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, "identity", props);
    this.addAzureadProvider();
    const c = this.config;
    const id = c.identity;
    const workforce = id.authMode === "workforceIdentity" ? id.workforce! : undefined;
    const google = c.cluster.access === "gke" || workforce ? this.addGoogleProvider() : undefined;
    this.cluster = this.addClusterAccess(google);
    const hosts = publicHostnames(c);

    const entra = new EntraApplication(this, "entra", {
      displayName: `Platform ${this.environmentName} (Keycloak)`,
      redirectUris: [brokerRedirectUri(hosts.keycloak, id.realm), ...(workforce ? [workforceRedirectUri(workforce.poolId)] : [])],
      owners: id.owners,
      groups: { access: id.groups.access, admins: id.groups.admins, developers: id.groups.developers, readonly: id.groups.readonly },
      secret: id.entraSecret,
    });

    const grafanaSecret = new SecretVariable(this, "grafana_oidc_client_secret", {
      description: "Client secret of the grafana client in the Keycloak realm (the commons stack uses the same value)",
    });
    new KeycloakRealm(this, "realm", {
      provider: this.cluster.kubernetes,
      namespace: COMMONS_NAMESPACES.keycloak,
      realmName: id.realm,
      realm: platformRealm({ realm: id.realm, tenantId: c.azure.tenantId, grafanaHostname: hosts.grafana }),
      keycloakUrl: `http://${KEYCLOAK_SERVICE.name}.${COMMONS_NAMESPACES.keycloak}.svc.cluster.local:${KEYCLOAK_SERVICE.port}`,
      adminSecret: { name: "keycloak-bootstrap-admin", key: "KC_BOOTSTRAP_ADMIN_PASSWORD" },
      entraClientId: entra.application.clientId,
      entraClientSecret: entra.password.value,
      grafanaClientSecret: grafanaSecret.value,
      groupIds: entra.groupIds,
    });

    const subjects = Object.fromEntries(
      PERSONAS.map((p) => [p, workforce ? principalSet(workforce.poolId, entra.groupIds[p]) : personaGroup(id.groupPrefix, p)]),
    ) as Record<PersonaKey, string>;
    new PersonaRbac(this, "rbac", { provider: this.cluster.kubernetes, subjects, namespaces: id.namespaces });

    if (workforce) {
      new WorkforceIdentityFederation(this, "workforce", {
        organizationId: workforce.organizationId,
        poolId: workforce.poolId,
        project: c.gcp.project,
        tenantId: c.azure.tenantId,
        clientId: entra.application.clientId,
        clientSecret: entra.password.value,
        groupIds: Object.fromEntries(PERSONAS.map((p) => [p, entra.groupIds[p]])),
      });
    } else {
      new LocalProvider(this, "local");
      new IdentityService(this, "identity-service", {
        provider: this.cluster.kubernetes,
        clusterName: c.cluster.name,
        issuerUri: realmIssuer(c),
        groupPrefix: id.groupPrefix,
        server: this.cluster.gke?.server,
        certificateAuthorityData: this.cluster.gke?.certificateAuthorityData,
      });
      if (this.cluster.gke) {
        // What `npm run login-config -- --outputs <file>` reads (the endpoint and CA are not secret).
        new TerraformOutput(this, "cluster_server", { value: this.cluster.gke.server });
        new TerraformOutput(this, "cluster_ca", { value: this.cluster.gke.certificateAuthorityData });
      }
    }
  }
}
