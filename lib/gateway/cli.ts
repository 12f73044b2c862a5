/**
 * npm run keys -- rotate|retire|list|backend-tokens --env <env> [--kid <kid>] [--new-secret]
 * npm run token -- --env <env> --org <org> [--ttl <duration>]
 * Key pairs of the gateway, client tokens (RS256) and backend tokens (HS256, into the encrypted tfvars).
 * Passphrase and private keys as for `npm run secrets` (docs/secrets.md). Exit 0 on success, 1 on any failure.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { ConfigError, durationSeconds, loadEnvironment, type Environment } from "../config";
import { orgRole } from "../mock-data-api/sql";
import { SecretsError } from "../secrets/crypto";
import { parseTfvars, stringifyTfvars, type Tfvars } from "../secrets/tfvars";
import { Vault, type SecretsContext } from "../secrets/vault";
import { gatewayIssuer } from "./issuer";
import { signHs256, signRs256 } from "./jwt";
import { publicKeys, retireKey, rotateKey, signingKey } from "./keys";

export interface GatewayCliIO extends SecretsContext {
  stdout(text: string): void;
  stderr(text: string): void;
  now?: () => Date;
}

export { gatewayIssuer };

function options(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      env: { type: "string" },
      org: { type: "string" },
      ttl: { type: "string" },
      kid: { type: "string" },
      "new-secret": { type: "boolean" },
      "passphrase-fd": { type: "string" },
    },
  });
}

async function run(io: GatewayCliIO, argv: string[], body: (env: Environment, vault: Vault, values: ReturnType<typeof options>["values"], positionals: string[]) => Promise<void>): Promise<number> {
  try {
    if (argv.some((a) => /^--passphrase(=|$)/.test(a))) throw new SecretsError(["a passphrase is never taken from the command line (TFVARS_PASSPHRASE, --passphrase-fd N, or the prompt)"]);
    let parsed;
    try {
      parsed = options(argv);
    } catch (e) {
      throw new SecretsError([(e as Error).message]);
    }
    const { values, positionals } = parsed;
    if (!values.env) throw new SecretsError(["--env <env> is required"]);
    const fd = values["passphrase-fd"];
    const vault = new Vault({ ...io, passphraseFd: fd === undefined ? undefined : Number(fd) });
    await body(loadEnvironment(values.env, io.root), vault, values, positionals);
    return 0;
  } catch (e) {
    if (e instanceof SecretsError || e instanceof ConfigError) {
      io.stderr(`${e.problems.join("\n")}\n`);
      return 1;
    }
    throw e;
  }
}

export function keysCommand(argv: string[], io: GatewayCliIO): Promise<number> {
  return run(io, argv, async (env, vault, values, positionals) => {
    const [action] = positionals;
    switch (action) {
      case "rotate": {
        const kid = await rotateKey(io.root, vault, env.name);
        io.stderr(`keys: added ${kid}; new tokens are signed with it, the previous keys still verify until retired. Deploy ${env.name}-mock-data-api.\n`);
        return;
      }
      case "retire": {
        const kid = await retireKey(io.root, vault, env.name, values.kid);
        io.stderr(`keys: retired ${kid}; tokens signed with it are refused once ${env.name}-mock-data-api is deployed.\n`);
        return;
      }
      case "list":
        io.stdout(publicKeys(io.root, env.name).map((k) => `${k.kid}\n`).join(""));
        return;
      case "backend-tokens": {
        const c = env.config;
        const values0: Tfvars = vault.exists(env.name) ? await parseTfvars((await vault.open(env.name)).plaintext, vault.file(env.name)) : {};
        const secret =
          !values["new-secret"] && typeof values0.postgrest_jwt_secret === "string" ? values0.postgrest_jwt_secret : randomBytes(36).toString("base64url");
        const now = Math.floor((io.now?.() ?? new Date()).getTime() / 1000);
        const exp = now + durationSeconds(c.mockDataApi.gateway.backendTokenLifetime);
        const tokens = Object.fromEntries(
          c.mockDataApi.clients.map((client) => [
            client.name,
            signHs256({ role: orgRole(client.name), org: client.name, aud: c.mockDataApi.postgrest.audience, iat: now, exp }, secret),
          ]),
        );
        const next = { ...values0, postgrest_jwt_secret: secret, gateway_backend_tokens: tokens };
        await vault.save(env.name, stringifyTfvars(next as Tfvars), { passphrase: true, armor: false });
        io.stderr(
          `keys: ${Object.keys(tokens).length} backend token(s) valid until ${new Date(exp * 1000).toISOString()} written to ${vault.file(env.name)}` +
            `${values["new-secret"] ? " with a new PostgREST secret" : ""}. Deploy ${env.name}-mock-data-api.\n`,
        );
        return;
      }
      default:
        throw new SecretsError([`usage: npm run keys -- rotate|retire|list|backend-tokens --env <env> [--kid <kid>] [--new-secret]`]);
    }
  });
}

export function tokenCommand(argv: string[], io: GatewayCliIO): Promise<number> {
  return run(io, argv, async (env, vault, values) => {
    const org = values.org;
    const clients = env.config.mockDataApi.clients.map((c) => c.name);
    if (!org || !clients.includes(org)) throw new SecretsError([`--org: ${JSON.stringify(org ?? "")}, expected one of ${clients.join(", ") || "(no client in config)"}`]);
    const ttlText = values.ttl ?? "1h";
    if (!/^(\d+(ms|s|m|h|d|w|y))+$/.test(ttlText)) throw new SecretsError([`--ttl: ${JSON.stringify(ttlText)}, expected a duration such as 30m or 12h`]);
    const ttl = durationSeconds(ttlText);
    const max = durationSeconds(env.config.mockDataApi.gateway.maxTokenLifetime);
    if (ttl > max) throw new SecretsError([`--ttl: ${ttlText} is longer than the gateway accepts (mockDataApi.gateway.maxTokenLifetime: ${env.config.mockDataApi.gateway.maxTokenLifetime})`]);
    const key = await signingKey(io.root, vault, env.name);
    const now = Math.floor((io.now?.() ?? new Date()).getTime() / 1000);
    const token = signRs256({ iss: gatewayIssuer(env), aud: env.config.mockDataApi.gateway.audience, org, sub: org, iat: now, nbf: now, exp: now + ttl }, key.pem, key.kid);
    io.stdout(`${token}\n`);
    io.stderr(`token: ${org}, key ${key.kid}, valid until ${new Date((now + ttl) * 1000).toISOString()}\n`);
  });
}
