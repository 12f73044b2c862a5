/**
 * Secrets reach Terraform only as sensitive variables at deploy/diff time (DESIGN §3). Every variable of every stack
 * is a declared secret, and no secret value can reach cdktf.out: the real synth runs with sentinel values wherever a
 * secret could enter (TF_VAR_* in the environment, the passphrase, a decryptable secrets file) and none shows up.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { listEnvironments, loadEnvironment } from "../../lib/config";
import { declaredVariables } from "../../lib/secrets/declared";
import { stringifyTfvars } from "../../lib/secrets/tfvars";
import { PROJECT_ROOT } from "../support/environments";
import { ScratchProject, secrets } from "../support/secrets";

const all = listEnvironments(PROJECT_ROOT).flatMap((env) => [...declaredVariables(loadEnvironment(env, PROJECT_ROOT), PROJECT_ROOT).values()].flat());

test("the stacks declare secrets (this test would prove nothing without any)", () => {
  expect(all.length).toBeGreaterThan(0);
});

test.each(all.map((v) => [`${v.stack}: ${v.name}`, v]))("%s is sensitive, described, and has no default", (_n, v) => {
  expect(v.sensitive).toBe(true);
  expect(v.required).toBe(true);
  expect(v.description.length).toBeGreaterThan(10);
});

test("no secret value reaches cdktf.out, whichever way it is offered", async () => {
  const project = new ScratchProject();
  try {
    const sentinel = (name: string) => `SENTINEL-${name}-7c1e`;
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, TFVARS_PASSPHRASE: sentinel("passphrase") };
    for (const v of all) env[`TF_VAR_${v.name}`] = sentinel(`env-${v.name}`);
    for (const name of listEnvironments(PROJECT_ROOT)) {
      const values = Object.fromEntries(all.map((v) => [v.name, sentinel(`file-${v.name}`)]));
      const written = await secrets(project, ["encrypt", name], { env: { TFVARS_PASSPHRASE: sentinel("passphrase") }, stdin: stringifyTfvars(values) });
      expect(written.code).toBe(0);
    }
    const result = spawnSync("node", [path.join(PROJECT_ROOT, "scripts", "run.cjs"), path.join(PROJECT_ROOT, "main.ts")], {
      cwd: project.root,
      env,
      encoding: "utf8",
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const files = (fs.readdirSync(project.path("cdktf.out"), { recursive: true }) as string[]).map((f) => project.path("cdktf.out", f)).filter((f) => fs.statSync(f).isFile());
    expect(files.length).toBeGreaterThan(5);
    const leaks = files.filter((f) => fs.readFileSync(f, "utf8").includes("SENTINEL"));
    expect(leaks).toEqual([]);
    // The variables are there, as references only.
    const commons = fs.readFileSync(project.path("cdktf.out", "stacks", "example-commons", "cdk.tf.json"), "utf8");
    expect(commons).toContain("${var.grafana_admin_password}");
  } finally {
    project.dispose();
  }
});

test("secrets/example.tfvars.gpg holds every secret of the example environment (its passphrase is public)", async () => {
  const project = new ScratchProject();
  try {
    fs.copyFileSync(path.join(PROJECT_ROOT, "secrets", "example.tfvars.gpg"), project.path("secrets", "example.tfvars.gpg"));
    const result = await secrets(project, ["check", "example"], { env: { TFVARS_PASSPHRASE: "example-passphrase-not-secret" } });
    expect(result).toMatchObject({ code: 0, stderr: expect.stringMatching(/^secrets: secrets\/example\.tfvars\.gpg ok: /) });
  } finally {
    project.dispose();
  }
});
