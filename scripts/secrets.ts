// npm run secrets -- <command> ...   (lib/secrets/cli.ts, docs/secrets.md)
import { secretsCommand } from "../lib/secrets/cli";
import { exitWith, processIO } from "./process-io";

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

exitWith(secretsCommand(process.argv.slice(2), { ...processIO(), readStdin }));
