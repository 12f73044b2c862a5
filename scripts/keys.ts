// npm run keys -- rotate|retire|list|backend-tokens --env <env>   (lib/gateway/cli.ts)
import { keysCommand } from "../lib/gateway/cli";
import { exitWith, processIO } from "./process-io";

exitWith(keysCommand(process.argv.slice(2), processIO()));
