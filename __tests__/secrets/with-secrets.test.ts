/**
 * npm run deploy|diff -- <env>-<stack>: secrets decrypted in memory reach cdktf as TF_VAR_* of the child only.
 * A stand-in cdktf (a small node script) records what it was given.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { DeclaredVariable } from "../../lib/secrets/declared";
import { cdktfWithSecrets } from "../../lib/secrets/with-secrets";
import { ScratchProject, secrets } from "../support/secrets";

const PASS = { TFVARS_PASSPHRASE: "example passphrase" };

let project: ScratchProject;
let fakeCdktf: string;
beforeEach(async () => {
  project = new ScratchProject();
  fakeCdktf = project.path("fake-cdktf");
  fs.writeFileSync(
    fakeCdktf,
    `#!/usr/bin/env node
const fs = require("fs");
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith("TF_VAR_") || k.startsWith("TFVARS_")));
fs.writeFileSync(process.env.FAKE_RECORD, JSON.stringify({ argv: process.argv.slice(2), env, cwd: process.cwd() }));
process.exit(Number(process.env.FAKE_EXIT || 0));
`,
    { mode: 0o755 },
  );
  await secrets(project, ["encrypt", "example"], {
    env: PASS,
    stdin: 'grafana_admin_password = "hunter2"\nentra_client_secret = "entra"\nalert_emails = ["a@example.com"]\n',
  });
});
afterEach(() => project.dispose());

const declared = (): Map<string, DeclaredVariable[]> =>
  new Map([
    ["example-commons", [
      { name: "grafana_admin_password", stack: "example-commons", description: "Grafana admin", sensitive: true, required: true },
      { name: "alert_emails", stack: "example-commons", description: "recipients", sensitive: true, required: true },
    ]],
    ["example-identity", [{ name: "entra_client_secret", stack: "example-identity", description: "Entra secret", sensitive: true, required: true }]],
    ["example-cnpg", [{ name: "backup_key", stack: "example-cnpg", description: "a secret the file lacks", sensitive: true, required: true }]],
    ["example-bootstrap", []],
  ]);

async function run(command: "deploy" | "diff", argv: string[], env: NodeJS.ProcessEnv = {}) {
  const record = project.path("record.json");
  let stderr = "";
  const code = await cdktfWithSecrets(command, argv, {
    root: project.root,
    env: { ...PASS, FAKE_RECORD: record, PATH: process.env.PATH, ...env },
    stderr: (t) => (stderr += t),
    cdktf: fakeCdktf,
    declared,
  });
  const recorded = fs.existsSync(record) ? JSON.parse(fs.readFileSync(record, "utf8")) : undefined;
  return { code, stderr, recorded };
}

test("the stack's own secrets reach cdktf as TF_VAR_*, and nothing else of the file", async () => {
  const { code, recorded } = await run("deploy", ["example-commons"]);
  expect(code).toBe(0);
  expect(recorded.env).toEqual({ TF_VAR_grafana_admin_password: "hunter2", TF_VAR_alert_emails: '["a@example.com"]' });
  expect(recorded.argv).toEqual(["deploy", "example-commons"]);
  expect(fs.realpathSync(recorded.cwd)).toBe(fs.realpathSync(project.root));
});

test("the passphrase and private key settings never reach the child", async () => {
  const { recorded } = await run("diff", ["example-identity"], { TFVARS_PRIVATE_KEY_FILE: "/nonexistent", TF_VAR_stale: "from the shell" });
  expect(Object.keys(recorded.env)).toEqual(["TF_VAR_entra_client_secret"]);
});

test("extra arguments pass through and the child's exit code is returned", async () => {
  const { code, recorded } = await run("diff", ["example-commons", "--skip-synth", "--var", "x=1"], { FAKE_EXIT: "3" });
  expect(code).toBe(3);
  expect(recorded.argv).toEqual(["diff", "example-commons", "--skip-synth", "--var", "x=1"]);
});

test("a required secret missing from the file stops before cdktf starts", async () => {
  const { code, stderr, recorded } = await run("deploy", ["example-cnpg"]);
  expect(code).toBe(1);
  expect(stderr).toBe("secrets/example.tfvars.gpg: backup_key: missing, required by example-cnpg (a secret the file lacks)\n");
  expect(recorded).toBeUndefined();
});

test("a wrong passphrase stops before cdktf starts", async () => {
  const { code, stderr, recorded } = await run("deploy", ["example-commons"], { TFVARS_PASSPHRASE: "nope" });
  expect({ code, stderr }).toEqual({ code: 1, stderr: "secrets/example.tfvars.gpg: wrong passphrase\n" });
  expect(recorded).toBeUndefined();
});

test("a stack without secrets runs without asking for any", async () => {
  const { code, recorded } = await run("deploy", ["example-bootstrap"], { TFVARS_PASSPHRASE: undefined });
  expect(code).toBe(0);
  expect(recorded.env).toEqual({});
});

test("an unknown stack id lists the valid ones", async () => {
  const { code, stderr } = await run("deploy", ["prod-commons"]);
  expect(code).toBe(1);
  expect(stderr).toMatch(/^"prod-commons": expected a stack id <env>-<stack>, one of example-bootstrap, example-commons, /);
});

test("no plaintext is written anywhere in the project", async () => {
  await run("deploy", ["example-commons"]);
  const files = fs.readdirSync(project.root, { recursive: true }) as string[];
  for (const f of files) {
    const full = path.join(project.root, f);
    if (fs.statSync(full).isFile() && f !== "record.json") expect(fs.readFileSync(full, "latin1")).not.toContain("hunter2");
  }
});
