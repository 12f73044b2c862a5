// npm run render -- <artifact> --env <env> [--out <path>]   (lib/render/cli.ts)
import { renderCommand } from "../lib/render/cli";

process.exitCode = renderCommand(process.argv.slice(2));
