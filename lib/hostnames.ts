/** Public hostnames, all under the environment's domain (DESIGN §5). */
import type { EnvironmentConfig } from "./config";

export interface PublicHostnames {
  /** Keycloak's realm endpoints. */
  readonly keycloak: string;
  readonly grafana: string;
  /** The mock-data API gateway. */
  readonly api: string;
  readonly swagger: string;
}

export function publicHostnames(config: EnvironmentConfig): PublicHostnames {
  const d = config.dns.domain;
  return { keycloak: `auth.${d}`, grafana: `grafana.${d}`, api: `api.${d}`, swagger: `swagger.${d}` };
}

/** The issuer URL of a Keycloak realm. */
export function realmIssuer(config: EnvironmentConfig, realm = config.identity.realm): string {
  return `https://${publicHostnames(config).keycloak}/realms/${realm}`;
}
