/**
 * Generated artifacts that users inspect or hand to someone: `npm run render -- <artifact> --env <env>`.
 * Each later component registers its artifact here (realm, sql, gateway, dataloader, ...).
 */
import { stringify } from "yaml";
import type { Environment } from "../config";
import { publicHostnames, realmIssuer } from "../hostnames";
import { PERSONAS, platformRealm } from "../keycloak/realm";
import { renderLoginConfig } from "../login-config";
import { objectsSql, rolesSql } from "../mock-data-api/sql";
import { personaGroup, personaTable, type PersonaKey } from "../rbac";

export interface Artifact {
  /** One line for the usage text. */
  readonly description: string;
  /** Renders the artifact of an environment as text. */
  render(environment: Environment): string;
}

export const ARTIFACTS: Record<string, Artifact> = {
  config: {
    description: "the validated config of the environment with every default filled in (YAML)",
    render: (environment) =>
      `# config/${environment.name}.yaml as the stacks see it: validated, every default filled in.\n${stringify(environment.config)}`,
  },
  realm: {
    description: "the Keycloak realm applied by keycloak-config-cli (JSON; $(env:...) are filled in at deploy time)",
    render: ({ config }) =>
      `${JSON.stringify(platformRealm({ realm: config.identity.realm, tenantId: config.azure.tenantId, grafanaHostname: publicHostnames(config).grafana }), null, 2)}\n`,
  },
  rbac: {
    description: "the persona table of docs/identity.md (Markdown)",
    render: ({ config }) => {
      const workforce = config.identity.authMode === "workforceIdentity";
      const subjects = Object.fromEntries(
        PERSONAS.map((p) => [p, workforce ? `principalSet://…/group/<Entra id of ${config.identity.groups[p]}>` : personaGroup(config.identity.groupPrefix, p)]),
      ) as Record<PersonaKey, string>;
      return personaTable(subjects, config.identity.namespaces);
    },
  },
  sql: {
    description: "the SQL of the API database: roles (CloudNativePG-managed on the cluster), then schema, tables, RLS and grants",
    render: ({ config }) => `${rolesSql(config)}\n${objectsSql(config)}`,
  },
  "login-config": {
    description: "login_config.yaml from config alone (no server or CA: use npm run login-config with --outputs for those)",
    render: ({ config }) =>
      renderLoginConfig({ clusterName: config.cluster.name, issuerUri: realmIssuer(config), groupPrefix: config.identity.groupPrefix }),
  },
};
