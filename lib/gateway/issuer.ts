import type { Environment } from "../config";
import { publicHostnames } from "../hostnames";

/** The issuer (`iss`) of client tokens: `mockDataApi.gateway.issuer`, default `https://api.<domain>`. */
export const gatewayIssuer = (env: Environment) => env.config.mockDataApi.gateway.issuer ?? `https://${publicHostnames(env.config).api}`;
