/** The identity stack: Entra ID, the Keycloak realm and its Job, GKE Identity Service, login_config.yaml. */
import { platformRealm, REALM_ENV } from "../../lib/keycloak/realm";
import { ARTIFACTS } from "../../lib/render";
import { environment, PROJECT_ROOT, synthPlatform } from "../support/environments";
import type { Template } from "../support/template";

const identity = (change?: (c: Record<string, any>) => void): Template => synthPlatform(environment("example", change)).templates.identity;
const t = identity();
const realm = platformRealm({ realm: "kubernetes", tenantId: "00000000-0000-0000-0000-000000000000", grafanaHostname: "grafana.platform.example.com" }) as Record<string, any>;

describe("Entra ID", () => {
  const app = t.resources("azuread_application")[0];

  test("the application redirects to Keycloak's broker endpoint and claims only its assigned groups", () => {
    expect(app.web.redirect_uris).toEqual(["https://auth.platform.example.com/realms/kubernetes/broker/entra/endpoint"]);
    expect(app.group_membership_claims).toEqual(["ApplicationGroup"]);
    expect(app.optional_claims.id_token).toEqual([{ name: "groups" }]);
    expect(app.owners).toEqual(["11111111-1111-1111-1111-111111111111"]);
  });

  test("its service principal requires assignment", () => {
    expect(t.resources("azuread_service_principal")[0]).toMatchObject({ app_role_assignment_required: true });
  });

  test("a client secret with an expiry, rotated by changing a config key, the new one made before the old one goes", () => {
    const secret = t.resources("azuread_application_password")[0];
    expect(secret).toMatchObject({ end_date: "2027-06-30T00:00:00Z", rotate_when_changed: { rotation: "2026-h2" }, lifecycle: { create_before_destroy: true } });
    expect(secret.application_id).toBe(`\${azuread_application.${app.$id}.id}`);
  });

  test("the access group and three persona groups, named from config, each assigned to the application", () => {
    const groups = t.resources("azuread_group");
    expect(groups.map((g) => g.display_name).sort()).toEqual(["Platform Access", "Platform Admins", "Platform Developers", "Platform Readonly"]);
    expect(groups.every((g) => g.security_enabled === true)).toBe(true);
    const assignments = t.resources("azuread_app_role_assignment");
    expect(assignments).toHaveLength(4);
    for (const g of groups) expect(assignments.map((a) => a.principal_object_id)).toContain(`\${azuread_group.${g.$id}.object_id}`);
  });
});

describe("the Keycloak realm", () => {
  test("Entra ID as OIDC identity provider with PKCE, its secret injected at run time", () => {
    const idp = realm.identityProviders[0];
    expect(idp).toMatchObject({ providerId: "oidc", trustEmail: false, hideOnLogin: true });
    expect(idp.config).toMatchObject({ pkceEnabled: "true", pkceMethod: "S256", validateSignature: "true", syncMode: "FORCE", clientSecret: "$(env:ENTRA_CLIENT_SECRET)" });
    expect(idp.config.issuer).toBe("https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0");
  });

  test("Entra persona groups become Keycloak groups", () => {
    const mappers = realm.identityProviderMappers.filter((m: any) => m.identityProviderMapper === "oidc-advanced-group-idp-mapper");
    expect(mappers.map((m: any) => [m.config.group, JSON.parse(m.config.claims)])).toEqual([
      ["/admins", [{ key: "groups", value: "$(env:ENTRA_GROUP_ADMINS)" }]],
      ["/developers", [{ key: "groups", value: "$(env:ENTRA_GROUP_DEVELOPERS)" }]],
      ["/readonly", [{ key: "groups", value: "$(env:ENTRA_GROUP_READONLY)" }]],
    ]);
  });

  test("a kubernetes client for kubectl: local callback and Cloud Console, groups claim, no direct-access grants", () => {
    const client = realm.clients.find((c: any) => c.clientId === "kubernetes");
    expect(client).toMatchObject({ publicClient: true, directAccessGrantsEnabled: false, implicitFlowEnabled: false });
    expect(client.redirectUris).toEqual(["http://localhost:8000/callback", "https://console.cloud.google.com/kubernetes/oidc"]);
    expect(client.protocolMappers[0].config).toMatchObject({ "claim.name": "groups", "full.path": "false", "id.token.claim": "true" });
    for (const c of realm.clients) expect(c.directAccessGrantsEnabled).toBe(false);
  });

  test("no local users, no registration, brute-force protection, sensible lifetimes, no key material", () => {
    expect(realm.users).toBeUndefined();
    expect(realm.components).toBeUndefined();
    expect(realm).toMatchObject({ registrationAllowed: false, resetPasswordAllowed: false, bruteForceProtected: true, accessTokenLifespan: 300 });
    expect(realm.ssoSessionMaxLifespan).toBeLessThanOrEqual(36000);
    expect(JSON.stringify(realm)).not.toMatch(/BEGIN|privateKey|"password"/);
    const browser = realm.authenticationFlows.find((f: any) => f.alias === realm.browserFlow);
    expect(browser.authenticationExecutions.map((e: any) => e.authenticator)).toEqual(["auth-cookie", "identity-provider-redirector"]);
  });

  test("npm run render -- realm writes the same definition", () => {
    expect(JSON.parse(ARTIFACTS.realm.render(environment(), { root: PROJECT_ROOT }) as string)).toEqual(realm);
  });
});

describe("keycloak-config-cli applies it", () => {
  const job = t.resources("kubernetes_job_v1")[0];
  const container = job.spec.template.spec.container[0];
  const env = Object.fromEntries(container.env.map((e: any) => [e.name, e.value ?? e.value_from]));

  test("every $(env:...) placeholder of the realm is set on the Job", () => {
    const placeholders = [...JSON.stringify(realm).matchAll(/\$\(env:([A-Z_]+)\)/g)].map((m) => m[1]);
    for (const name of new Set(placeholders)) expect(env[name]).toBeDefined();
  });

  test("secrets come from Kubernetes Secrets, never literal values in the Job or the ConfigMap", () => {
    expect(env[REALM_ENV.entraClientSecret]).toEqual({ secret_key_ref: { name: "realm-kubernetes-secrets", key: "ENTRA_CLIENT_SECRET" } });
    expect(env.KEYCLOAK_PASSWORD).toEqual({ secret_key_ref: { name: "keycloak-bootstrap-admin", key: "KC_BOOTSTRAP_ADMIN_PASSWORD" } });
    const secret = t.resources("kubernetes_secret_v1").find((s) => s.metadata.name === "realm-kubernetes-secrets")!;
    expect(secret.data.ENTRA_CLIENT_SECRET).toMatch(/^\$\{azuread_application_password\.\S+\.value\}$/);
    expect(secret.data.GRAFANA_CLIENT_SECRET).toBe("${var.grafana_oidc_client_secret}");
  });

  test("substitution on, import cache off (every run reconciles), pinned image, restricted pod", () => {
    expect(env).toMatchObject({ IMPORT_VARSUBSTITUTION_ENABLED: "true", IMPORT_CACHE_ENABLED: "false" });
    expect(container.image).toBe("docker.io/adorsys/keycloak-config-cli:6.5.0-26.5.4");
    expect(container.security_context).toMatchObject({ allow_privilege_escalation: false, read_only_root_filesystem: true, capabilities: { drop: ["ALL"] } });
  });

  test("runs again when the realm changes (its name carries the realm's digest) and every hour", () => {
    const other = identity((c) => (c.identity.realm = "platform")).resources("kubernetes_job_v1")[0];
    expect(other.metadata.name).not.toBe(job.metadata.name);
    expect(job.wait_for_completion).toBe(true);
    expect(t.resources("kubernetes_cron_job_v1")[0].spec.schedule).toBe("17 * * * *");
  });
});

describe("GKE Identity Service", () => {
  const manifest = t.resources("kubernetes_manifest")[0];

  test("the cluster's ClientConfig is adopted and only its authentication managed", () => {
    expect(manifest.manifest.metadata).toEqual({ name: "default", namespace: "kube-public" });
    expect(Object.keys(manifest.manifest.spec)).toEqual(["authentication"]);
    expect(manifest.field_manager).toEqual({ name: "platform-bootstrap", force_conflicts: true });
    expect(manifest.lifecycle).toEqual({ prevent_destroy: true });
    expect(JSON.stringify(t.json.import ?? t.json)).toContain("kind=ClientConfig,namespace=kube-public,name=default");
  });

  test("Keycloak issuer, groups claim, a non-empty prefix, an immutable user claim", () => {
    expect(manifest.manifest.spec.authentication[0].oidc).toMatchObject({
      issuerURI: "https://auth.platform.example.com/realms/kubernetes",
      clientID: "kubernetes",
      groupsClaim: "groups",
      groupPrefix: "oidc:",
      userClaim: "sub",
    });
  });

  test("login_config.yaml is written at the project root, 0600", () => {
    const file = t.resources("local_sensitive_file")[0];
    expect(file).toMatchObject({ filename: "../../../login_config.yaml", file_permission: "0600" });
    expect(file.content).toMatch(/^\$\{yamlencode\(/);
  });

  test("no ClientConfig, no login file in workforceIdentity mode", () => {
    const wf = identity((c) => {
      c.identity.authMode = "workforceIdentity";
      c.identity.workforce = { organizationId: "123456789012", poolId: "platform-users" };
    });
    expect(wf.resources("kubernetes_manifest")).toEqual([]);
    expect(wf.resources("local_sensitive_file")).toEqual([]);
    expect(wf.resources("google_iam_workforce_pool")[0]).toMatchObject({ parent: "organizations/123456789012", workforce_pool_id: "platform-users" });
    expect(wf.resources("google_project_iam_member").map((m) => m.role)).toEqual(Array(3).fill("roles/container.clusterViewer"));
  });
});
