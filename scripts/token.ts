// npm run token -- --env <env> --org <org> [--ttl <duration>]   (lib/gateway/cli.ts)
import { tokenCommand } from "../lib/gateway/cli";
import { exitWith, processIO } from "./process-io";

exitWith(tokenCommand(process.argv.slice(2), processIO()));
