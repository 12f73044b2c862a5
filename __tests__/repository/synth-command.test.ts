/** The README's main command, run as users run it: `node scripts/run.cjs main.ts` (npm run synth). */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_ROOT } from "../support/environments";

const synthScript = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")).scripts.synth as string;

/** Runs the synth script in a scratch working directory holding the given config files. */
function synthIn(files: Record<string, string>, env: NodeJS.ProcessEnv = process.env) {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "synth-cmd-"));
  fs.mkdirSync(path.join(cwd, "config"));
  for (const [name, text] of Object.entries(files)) {
    fs.writeFileSync(path.join(cwd, "config", name), text);
    // Every environment needs the public keys of its API gateway.
    fs.cpSync(path.join(PROJECT_ROOT, "config", "gateway-keys", "example"), path.join(cwd, "config", "gateway-keys", name.replace(/\.yaml$/, "")), { recursive: true });
  }
  const command = synthScript.replace(/\b(scripts\/run\.cjs) (main\.ts)\b/, `${path.join(PROJECT_ROOT, "$1")} ${path.join(PROJECT_ROOT, "$2")}`);
  const result = spawnSync("sh", ["-c", command], { cwd, encoding: "utf8", env });
  return { ...result, cwd };
}

test("the synth script is the one this test runs", () => {
  expect(synthScript).toBe("node scripts/run.cjs main.ts");
});

test("writes cdk.tf.json for the five stacks of each environment", () => {
  const example = fs.readFileSync(path.join(PROJECT_ROOT, "config", "example.yaml"), "utf8");
  const { status, stderr, cwd } = synthIn({ "example.yaml": example, "second.yaml": example });
  expect(stderr).toBe("");
  expect(status).toBe(0);
  const stacks = fs.readdirSync(path.join(cwd, "cdktf.out", "stacks")).sort();
  expect(stacks).toEqual(
    ["example", "second"].flatMap((e) => ["bootstrap", "cnpg", "commons", "identity", "mock-data-api"].map((s) => `${e}-${s}`)),
  );
  for (const stack of stacks) {
    const json = JSON.parse(fs.readFileSync(path.join(cwd, "cdktf.out", "stacks", stack, "cdk.tf.json"), "utf8"));
    expect(Object.keys(json.terraform.backend)).toHaveLength(1);
    expect(Object.keys(json.provider).length).toBeGreaterThan(0);
  }
  fs.rmSync(cwd, { recursive: true });
});

test("a bad config fails the synth with one line per problem and no stack trace", () => {
  const { status, stderr, stdout, cwd } = synthIn({ "broken.yaml": "gcp:\n  project: x\n" });
  expect(status).toBe(1);
  expect(stdout).toBe("");
  const lines = stderr.trim().split("\n");
  expect(lines).toContain("config/broken.yaml: gcp.project: \"x\", expected a Google Cloud project id such as acme-platform-prod");
  expect(lines).toContain("config/broken.yaml: dns: nothing, expected a map");
  expect(lines.every((l) => l.startsWith("config/broken.yaml: "))).toBe(true);
  expect(fs.existsSync(path.join(cwd, "cdktf.out"))).toBe(false);
  fs.rmSync(cwd, { recursive: true });
});

test("an environment without gateway keys fails with one line that says what to run", () => {
  const example = fs.readFileSync(path.join(PROJECT_ROOT, "config", "example.yaml"), "utf8");
  const { status, stderr, cwd } = synthIn({ "example.yaml": example });
  fs.rmSync(path.join(cwd, "config", "gateway-keys"), { recursive: true });
  const again = spawnSync("sh", ["-c", synthScript.replace(/\b(scripts\/run\.cjs) (main\.ts)\b/, `${path.join(PROJECT_ROOT, "$1")} ${path.join(PROJECT_ROOT, "$2")}`)], { cwd, encoding: "utf8" });
  expect(status).toBe(0);
  expect(stderr).toBe("");
  expect(again.status).toBe(1);
  expect(again.stderr.trim()).toBe("config/gateway-keys/example: no public key, expected at least one for the API gateway (npm run keys -- rotate --env example)");
  fs.rmSync(cwd, { recursive: true });
});

test("needs no Terraform binary (a fresh machine has none): no synth-time `terraform version` check", () => {
  const example = fs.readFileSync(path.join(PROJECT_ROOT, "config", "example.yaml"), "utf8");
  const pathWithoutTerraform = [path.dirname(process.execPath), "/usr/bin", "/bin"].join(":");
  const { status, stderr, cwd } = synthIn({ "example.yaml": example }, { PATH: pathWithoutTerraform, HOME: process.env.HOME });
  expect(spawnSync("sh", ["-c", "command -v terraform"], { env: { PATH: pathWithoutTerraform } }).status).not.toBe(0);
  expect(stderr).toBe("");
  expect(status).toBe(0);
  fs.rmSync(cwd, { recursive: true });
});

test("the synth loads neither OpenPGP nor the HCL parser (they are for the secrets tooling, and cost time)", () => {
  const probe = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "probe-")), "probe.cjs");
  fs.writeFileSync(probe, 'process.on("exit", () => { const heavy = Object.keys(require.cache).filter((f) => /\\/(openpgp|hcl2json)\\//.test(f)); if (heavy.length) { console.error("HEAVY " + heavy.join(" ")); process.exitCode = 3; } });');
  const result = spawnSync("node", ["-r", probe, path.join(PROJECT_ROOT, "scripts", "run.cjs"), path.join(PROJECT_ROOT, "main.ts")], { cwd: PROJECT_ROOT, encoding: "utf8" });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
});
