/**
 * npm run login-config -- --env <env> [--outputs <cdktf outputs json>] [--out <file>]
 * Writes login_config.yaml (default at the project root, mode 0600). With --outputs (the file
 * `cdktf deploy <env>-identity --outputs-file <file>` writes), the cluster's server and CA are filled in;
 * without, from config alone (enough for the offline example).
 */
import * as fs from "node:fs";
import { parseArgs } from "node:util";
import { ConfigError, loadEnvironment } from "./config";
import { realmIssuer } from "./hostnames";
import { renderLoginConfig } from "./login-config";

const USAGE = "usage: npm run login-config -- --env <env> [--outputs <cdktf outputs json>] [--out <file>]";

/** Finds server and CA in a cdktf outputs file: { "<env>-identity": { "cluster_server": ..., "cluster_ca": ... } }. */
function readOutputs(file: string, stack: string): { server?: string; ca?: string } {
  let json: Record<string, Record<string, unknown>>;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new ConfigError([`${file}: cannot read the outputs (${(e as Error).message})`]);
  }
  const outputs = json[stack] ?? {};
  const pick = (key: string) => (typeof outputs[key] === "string" ? (outputs[key] as string) : undefined);
  const server = pick("cluster_server");
  const ca = pick("cluster_ca");
  if (!server || !ca) throw new ConfigError([`${file}: no cluster_server/cluster_ca outputs of ${stack} (deploy it with --outputs-file)`]);
  return { server, ca };
}

export function loginConfigCommand(argv: string[], io: { root: string; stdout(t: string): void; stderr(t: string): void }): number {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { env: { type: "string" }, outputs: { type: "string" }, out: { type: "string" } } }));
  } catch (e) {
    io.stderr(`login-config: ${(e as Error).message}\n${USAGE}\n`);
    return 1;
  }
  if (!values.env) {
    io.stderr(`login-config: --env <env> is required\n${USAGE}\n`);
    return 1;
  }
  try {
    const { name, config } = loadEnvironment(values.env, io.root);
    if (config.identity.authMode !== "identityService") {
      throw new ConfigError([`config/${name}.yaml: identity.authMode: "${config.identity.authMode}", expected "identityService" (workforce users sign in with gcloud; docs/identity.md)`]);
    }
    const outputs = values.outputs ? readOutputs(values.outputs, `${name}-identity`) : {};
    const text = renderLoginConfig({
      clusterName: config.cluster.name,
      issuerUri: realmIssuer(config),
      groupPrefix: config.identity.groupPrefix,
      server: outputs.server,
      certificateAuthorityData: outputs.ca,
    });
    const out = values.out ?? `${io.root}/login_config.yaml`;
    if (out === "-") io.stdout(text);
    else {
      fs.writeFileSync(out, text, { mode: 0o600 });
      fs.chmodSync(out, 0o600);
      io.stderr(`login-config: wrote ${out}${outputs.server ? "" : " (no server/CA: pass --outputs after deploying the identity stack)"}\n`);
    }
    return 0;
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    io.stderr(`${e.problems.join("\n")}\n`);
    return 1;
  }
}
