/**
 * login_config.yaml: what colleagues receive to run `kubectl oidc login --cluster=<name> --login-config=...`
 * (or `gcloud anthos auth login`). A ClientConfig of GKE Identity Service, following the rules Google's tools enforce
 * (DESIGN §6), checked by validateLoginConfig before anything is written. It holds no secret: the Keycloak client
 * is public.
 */
import { parseAllDocuments, stringify } from "yaml";
import { CLOUD_CONSOLE_REDIRECT, KUBECTL_REDIRECT, KUBERNETES_CLIENT } from "./keycloak/realm";

export interface LoginConfigProps {
  /** Cluster name: what `--cluster` matches. */
  readonly clusterName: string;
  /** Keycloak realm issuer (https). */
  readonly issuerUri: string;
  readonly groupPrefix: string;
  /** API endpoint and CA of the cluster, when known (after deploy). */
  readonly server?: string;
  readonly certificateAuthorityData?: string;
}

/** The claim identifying the user: Keycloak's `sub`, which no user (nor Entra admin) can change. */
export const USER_CLAIM = "sub";

/** The OIDC method as both the in-cluster ClientConfig and login_config.yaml carry it. */
export function oidcAuthentication(props: Pick<LoginConfigProps, "issuerUri" | "groupPrefix">) {
  return {
    name: "keycloak",
    oidc: {
      clientID: KUBERNETES_CLIENT,
      issuerURI: props.issuerUri,
      kubectlRedirectURI: KUBECTL_REDIRECT,
      cloudConsoleRedirectURI: CLOUD_CONSOLE_REDIRECT,
      scopes: "openid,email,profile",
      userClaim: USER_CLAIM,
      userPrefix: props.groupPrefix,
      groupsClaim: "groups",
      groupPrefix: props.groupPrefix,
    },
  };
}

export function loginConfig(props: LoginConfigProps): Record<string, unknown> {
  return {
    apiVersion: "authentication.gke.io/v2alpha1",
    kind: "ClientConfig",
    metadata: { name: "default", namespace: "kube-public" },
    spec: {
      name: props.clusterName,
      ...(props.server ? { server: props.server } : {}),
      ...(props.certificateAuthorityData ? { certificateAuthorityData: props.certificateAuthorityData } : {}),
      authentication: [oidcAuthentication(props)],
    },
  };
}

/** One line per rule broken; [] when the text is a valid login config. */
export function validateLoginConfig(text: string): string[] {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs) || docs.length !== 1) return [`expected exactly one YAML document, found ${Array.isArray(docs) ? docs.length : 0}`];
  const doc = docs[0];
  if (doc.errors.length) return doc.errors.map((e) => `not valid YAML: ${e.message.split("\n")[0]}`);
  const c = doc.toJS() as Record<string, any>;
  const problems: string[] = [];
  if (c?.apiVersion !== "authentication.gke.io/v2alpha1") problems.push("apiVersion must be authentication.gke.io/v2alpha1");
  if (c?.kind !== "ClientConfig") problems.push("kind must be ClientConfig");
  const spec = c?.spec;
  if (!spec || typeof spec !== "object") return [...problems, "spec is missing"];
  if (!spec.name) problems.push("spec.name (the cluster name --cluster matches) is missing");
  const methods = spec.authentication;
  if (!Array.isArray(methods) || methods.length === 0) return [...problems, "spec.authentication needs at least one method"];
  if (methods.length > 20) problems.push(`spec.authentication has ${methods.length} methods; at most 20`);
  methods.forEach((m: Record<string, any>, i: number) => {
    const at = `spec.authentication[${i}]`;
    if (!m?.name) problems.push(`${at}.name is missing`);
    if (m?.oidc?.proxy !== undefined) problems.push(`${at}.oidc.proxy: proxy is a sibling of oidc, not inside it`);
    const o = m?.oidc;
    if (!o) return;
    if (!o.clientID) problems.push(`${at}.oidc.clientID is missing`);
    if (typeof o.issuerURI !== "string" || !o.issuerURI.startsWith("https://")) problems.push(`${at}.oidc.issuerURI must start with https://`);
    else if (o.issuerURI.includes("/.well-known/openid-configuration")) problems.push(`${at}.oidc.issuerURI must not contain /.well-known/openid-configuration`);
    if (o.groupPrefix !== undefined && o.groupsClaim === undefined) problems.push(`${at}.oidc.groupPrefix needs groupsClaim`);
    if (o.groupsClaim !== undefined && !o.groupPrefix) problems.push(`${at}.oidc.groupPrefix must not be empty (a group named system:masters would become that group)`);
    if (o.scopes !== undefined && typeof o.scopes !== "string") problems.push(`${at}.oidc.scopes must be one comma-separated string`);
    if (o.kubectlRedirectURI !== undefined && !/^http:\/\/localhost:\d+\/callback$/.test(o.kubectlRedirectURI))
      problems.push(`${at}.oidc.kubectlRedirectURI must be http://localhost:<port>/callback`);
    if (o.clientSecret !== undefined) problems.push(`${at}.oidc.clientSecret must not be in a file handed to users (the client is public)`);
  });
  return problems;
}

/** The YAML text, validated. */
export function renderLoginConfig(props: LoginConfigProps): string {
  const text = `# login_config.yaml for ${props.clusterName}: kubectl oidc login --cluster=${props.clusterName} --login-config=login_config.yaml\n${stringify(loginConfig(props))}`;
  const problems = validateLoginConfig(text);
  if (problems.length) throw new Error(`login_config.yaml would be invalid:\n${problems.join("\n")}`);
  return text;
}
