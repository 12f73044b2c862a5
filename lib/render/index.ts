/**
 * Generated artifacts that users inspect or hand to someone: `npm run render -- <artifact> --env <env>`.
 * Each later component registers its artifact here (realm, sql, gateway, dataloader, ...).
 */
import { stringify } from "yaml";
import type { Environment } from "../config";
import { publicHostnames, realmIssuer } from "../hostnames";
import { PERSONAS, platformRealm } from "../keycloak/realm";
import { renderLoginConfig } from "../login-config";
import * as path from "node:path";
import { gatewayBundle } from "../gateway/bundle";
import { downloadScript, loadScript } from "../mock-data-api/loader";
import { objectsSql, rolesSql } from "../mock-data-api/sql";
import { personaGroup, personaTable, type PersonaKey } from "../rbac";

export interface RenderOptions {
  /** --out: a file, or for a multi-file artifact a directory. */
  readonly out?: string;
  /** --upstream host:port (gateway) */
  readonly upstream?: string;
  /** --bind host:port (gateway) */
  readonly bind?: string;
  /** The project root. */
  readonly root: string;
}

export interface Artifact {
  /** One line for the usage text. */
  readonly description: string;
  /** Renders the artifact of an environment: one text, or files by name (then --out names a directory). */
  render(environment: Environment, options: RenderOptions): string | Record<string, string>;
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
  gateway: {
    description: "haproxy.cfg, its maps and public keys into --out <dir> (--upstream host:port, --bind host:port): haproxy -f <dir>/haproxy.cfg",
    render: (environment, options) => {
      if (!options.out) throw new Error("gateway writes several files: give --out <dir>");
      const bind = options.bind ?? "127.0.0.1:8080";
      const [host, port] = bind.split(":");
      return gatewayBundle(options.root, environment, {
        filesDir: path.resolve(options.out),
        bind,
        metricsBind: `${host}:${Number(port) + 1}`,
        upstream: options.upstream ?? "127.0.0.1:3000",
      });
    },
  },
  dataloader: {
    description: "the data loader's scripts (download.sh, load.sh) into --out <dir>, or load.sh on standard output",
    render: (_environment, options) => (options.out ? { "download.sh": downloadScript(), "load.sh": loadScript() } : loadScript()),
  },
  "login-config": {
    description: "login_config.yaml from config alone (no server or CA: use npm run login-config with --outputs for those)",
    render: ({ config }) =>
      renderLoginConfig({ clusterName: config.cluster.name, issuerUri: realmIssuer(config), groupPrefix: config.identity.groupPrefix }),
  },
};
