/**
 * The platform realm, built in TypeScript and applied by keycloak-config-cli on every change (DESIGN §6).
 *
 * Values only known at deploy time (the Entra client id and secret, the Entra group object ids, Grafana's client
 * secret) are written as keycloak-config-cli placeholders `$(env:NAME)`, filled from the Job's environment (the
 * secrets from Kubernetes Secrets). So the realm file holds no secret and no key: Keycloak generates its own keys,
 * and `components` (where they live) are left out on purpose, so that the import never touches them.
 */
export type Persona = "admins" | "developers" | "readonly";
export const PERSONAS: readonly Persona[] = ["admins", "developers", "readonly"];

/** Environment variables the realm file reads (set on the configuration Job). */
export const REALM_ENV = {
  entraClientId: "ENTRA_CLIENT_ID",
  entraClientSecret: "ENTRA_CLIENT_SECRET",
  grafanaClientSecret: "GRAFANA_CLIENT_SECRET",
  group: (persona: Persona) => `ENTRA_GROUP_${persona.toUpperCase()}`,
} as const;

const env = (name: string) => `$(env:${name})`;

export const IDP_ALIAS = "entra";
export const KUBERNETES_CLIENT = "kubernetes";
export const KUBECTL_REDIRECT = "http://localhost:8000/callback";
export const CLOUD_CONSOLE_REDIRECT = "https://console.cloud.google.com/kubernetes/oidc";

export interface RealmProps {
  readonly realm: string;
  readonly tenantId: string;
  /** Grafana's public hostname (its OIDC client). */
  readonly grafanaHostname: string;
}

/** The broker endpoint Entra redirects to: the Entra application's web redirect URI. */
export function brokerRedirectUri(keycloakHostname: string, realm: string): string {
  return `https://${keycloakHostname}/realms/${realm}/broker/${IDP_ALIAS}/endpoint`;
}

const groupsMapper = {
  name: "groups",
  protocol: "openid-connect",
  protocolMapper: "oidc-group-membership-mapper",
  config: {
    "claim.name": "groups",
    "full.path": "false",
    "id.token.claim": "true",
    "access.token.claim": "true",
    "userinfo.token.claim": "true",
    "introspection.token.claim": "true",
  },
};

/** The realm representation (Keycloak 26). */
export function platformRealm(props: RealmProps): Record<string, unknown> {
  const entra = `https://login.microsoftonline.com/${props.tenantId}`;
  return {
    realm: props.realm,
    enabled: true,
    displayName: "Platform",
    sslRequired: "external",
    // No local accounts: no registration, no password reset, no username/e-mail login, no users defined.
    registrationAllowed: false,
    resetPasswordAllowed: false,
    rememberMe: false,
    loginWithEmailAllowed: false,
    duplicateEmailsAllowed: false,
    editUsernameAllowed: false,
    verifyEmail: false,
    // Brute-force protection.
    bruteForceProtected: true,
    permanentLockout: false,
    failureFactor: 5,
    waitIncrementSeconds: 60,
    maxFailureWaitSeconds: 900,
    minimumQuickLoginWaitSeconds: 60,
    quickLoginCheckMilliSeconds: 1000,
    maxDeltaTimeSeconds: 43200,
    // Short tokens, a working day of session.
    accessTokenLifespan: 300,
    ssoSessionIdleTimeout: 3600,
    ssoSessionMaxLifespan: 36000,
    offlineSessionIdleTimeout: 604800,
    revokeRefreshToken: true,
    refreshTokenMaxReuse: 0,
    defaultSignatureAlgorithm: "RS256",
    browserFlow: "browser-entra-only",
    groups: PERSONAS.map((name) => ({ name })),
    identityProviders: [
      {
        alias: IDP_ALIAS,
        displayName: "Microsoft Entra ID",
        providerId: "oidc",
        enabled: true,
        trustEmail: false,
        storeToken: false,
        hideOnLogin: true,
        firstBrokerLoginFlowAlias: "entra-first-login",
        config: {
          authorizationUrl: `${entra}/oauth2/v2.0/authorize`,
          tokenUrl: `${entra}/oauth2/v2.0/token`,
          issuer: `${entra}/v2.0`,
          jwksUrl: `${entra}/discovery/v2.0/keys`,
          useJwksUrl: "true",
          validateSignature: "true",
          disableUserInfo: "true",
          clientId: env(REALM_ENV.entraClientId),
          clientSecret: env(REALM_ENV.entraClientSecret),
          clientAuthMethod: "client_secret_post",
          pkceEnabled: "true",
          pkceMethod: "S256",
          defaultScope: "openid profile email",
          // Every login re-applies the mappers: leaving an Entra group removes the Keycloak group.
          syncMode: "FORCE",
        },
      },
    ],
    identityProviderMappers: [
      {
        name: "username",
        identityProviderAlias: IDP_ALIAS,
        identityProviderMapper: "oidc-username-idp-mapper",
        config: { syncMode: "INHERIT", template: "${CLAIM.preferred_username}" },
      },
      ...PERSONAS.map((persona) => ({
        name: `group-${persona}`,
        identityProviderAlias: IDP_ALIAS,
        identityProviderMapper: "oidc-advanced-group-idp-mapper",
        config: {
          syncMode: "INHERIT",
          claims: JSON.stringify([{ key: "groups", value: env(REALM_ENV.group(persona)) }]),
          "are.claim.values.regex": "false",
          group: `/${persona}`,
        },
      })),
    ],
    clients: [
      {
        clientId: KUBERNETES_CLIENT,
        name: "kubectl (GKE Identity Service)",
        protocol: "openid-connect",
        enabled: true,
        // Public: no secret to hand out in login_config.yaml.
        publicClient: true,
        standardFlowEnabled: true,
        implicitFlowEnabled: false,
        directAccessGrantsEnabled: false,
        serviceAccountsEnabled: false,
        redirectUris: [KUBECTL_REDIRECT, CLOUD_CONSOLE_REDIRECT],
        webOrigins: [],
        fullScopeAllowed: false,
        attributes: { "oauth2.device.authorization.grant.enabled": "false", "post.logout.redirect.uris": "-" },
        protocolMappers: [groupsMapper],
      },
      {
        clientId: "grafana",
        name: "Grafana",
        protocol: "openid-connect",
        enabled: true,
        publicClient: false,
        secret: env(REALM_ENV.grafanaClientSecret),
        standardFlowEnabled: true,
        implicitFlowEnabled: false,
        directAccessGrantsEnabled: false,
        serviceAccountsEnabled: false,
        redirectUris: [`https://${props.grafanaHostname}/login/generic_oauth`],
        webOrigins: [`https://${props.grafanaHostname}`],
        attributes: { "pkce.code.challenge.method": "S256", "post.logout.redirect.uris": `https://${props.grafanaHostname}/*` },
        protocolMappers: [groupsMapper],
      },
    ],
    authenticationFlows: [
      {
        alias: "browser-entra-only",
        description: "Session cookie, else straight to Entra ID: no username/password form",
        providerId: "basic-flow",
        topLevel: true,
        builtIn: false,
        authenticationExecutions: [
          { authenticator: "auth-cookie", requirement: "ALTERNATIVE", priority: 10, authenticatorFlow: false, userSetupAllowed: false },
          {
            authenticator: "identity-provider-redirector",
            authenticatorConfig: "entra-redirector",
            requirement: "ALTERNATIVE",
            priority: 20,
            authenticatorFlow: false,
            userSetupAllowed: false,
          },
        ],
      },
      {
        alias: "entra-first-login",
        description: "Create the user from Entra ID; never link to or ask for a local account",
        providerId: "basic-flow",
        topLevel: true,
        builtIn: false,
        authenticationExecutions: [
          {
            authenticator: "idp-create-user-if-unique",
            authenticatorConfig: "entra-create-user",
            requirement: "REQUIRED",
            priority: 10,
            authenticatorFlow: false,
            userSetupAllowed: false,
          },
        ],
      },
    ],
    authenticatorConfig: [
      { alias: "entra-redirector", config: { defaultProvider: IDP_ALIAS } },
      { alias: "entra-create-user", config: { "require.password.update.after.registration": "false" } },
    ],
  };
}
