/** The CI workflows, parsed: job graph, SHA pins, least permissions, and no step that prints a secret. */
import * as fs from "node:fs";
import * as path from "node:path";
import { Testing } from "cdktf";
import { parse } from "yaml";
import { touchedEnvironments } from "../../lib/ci";
import { definePlatform } from "../../stacks";
import { environment, PROJECT_ROOT } from "../support/environments";

const dir = path.join(PROJECT_ROOT, ".github", "workflows");
const workflows = Object.fromEntries(fs.readdirSync(dir).map((f) => [f, parse(fs.readFileSync(path.join(dir, f), "utf8"))])) as Record<string, any>;
const jobsOf = (w: any) => Object.entries(w.jobs ?? {}) as [string, any][];
const stepsOf = (w: any) => jobsOf(w).flatMap(([, j]) => (j.steps ?? []) as any[]);
const gitlab = parse(fs.readFileSync(path.join(PROJECT_ROOT, ".gitlab-ci.yml"), "utf8"));

test("there are the pull-request, deploy and drift workflows", () => {
  expect(Object.keys(workflows).sort()).toEqual(["deploy-stack.yml", "deploy.yml", "drift.yml", "pull-request.yml"]);
});

describe.each(Object.keys(workflows))("%s", (file) => {
  const w = workflows[file];

  test("every action is pinned by a full commit SHA", () => {
    const uses = [...stepsOf(w).map((s) => s.uses), ...jobsOf(w).map(([, j]) => j.uses)].filter(Boolean) as string[];
    for (const u of uses) {
      if (u.startsWith("./")) continue; // a workflow of this repository
      expect(u).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
    }
  });

  test("least permissions: none by default, each job only what it uses", () => {
    expect(w.permissions).toEqual({});
    const allowed = new Set(["contents:read", "id-token:write", "pull-requests:write", "issues:write"]);
    for (const [name, job] of jobsOf(w)) {
      const granted = Object.entries(job.permissions ?? {}).map(([k, v]) => `${k}:${v}`);
      for (const g of granted) expect(allowed).toContain(g);
      const usesCloud = (job.steps ?? []).some((s: any) => String(s.uses ?? "").startsWith("google-github-actions/auth@")) || String(job.uses ?? "").includes("deploy-stack");
      expect({ job: name, idToken: granted.includes("id-token:write") }).toEqual({ job: name, idToken: usesCloud });
    }
  });

  test("no step prints a secret: secrets reach steps as environment variables only, nothing echoes them", () => {
    for (const step of stepsOf(w)) {
      const run = String(step.run ?? "");
      expect(run).not.toMatch(/\$\{\{\s*secrets/);
      expect(run).not.toMatch(/set -x|printenv|^\s*env\s*$|echo[^\n]*(TFVARS|PASSPHRASE|TOKEN|SECRET)/m);
    }
  });
});

test("pull requests: tests, then the diff of every stack touched; failing on errors; the plan posted on the PR", () => {
  const w = workflows["pull-request.yml"];
  expect(w.on.pull_request).toBeDefined();
  expect(w.jobs.diff.needs).toBe("test");
  expect(w.jobs.diff.strategy.matrix).toBe("${{ fromJSON(needs.test.outputs.matrix) }}");
  const diff = w.jobs.diff.steps.find((s: any) => String(s.run ?? "").includes("npm run -s diff"));
  expect(diff.run).toContain("set -o pipefail");
  expect(diff.env.TFVARS_PASSPHRASE).toMatch(/^\$\{\{ secrets\[/);
  expect(w.jobs.diff.steps.some((s: any) => String(s.uses ?? "").startsWith("actions/github-script@"))).toBe(true);
  expect(w.jobs.test.steps.some((s: any) => s.run === "bash .ci/run")).toBe(true);
});

test("merges deploy in the stacks' dependency order, each environment behind its approval gate", () => {
  const w = workflows["deploy.yml"];
  expect(w.on.push.branches).toEqual(["main"]);
  const needs = Object.fromEntries(jobsOf(w).map(([name, j]) => [name, [j.needs ?? []].flat().filter((n: string) => n !== "plan")]));
  // The graph of stacks/index.ts, bootstrap excepted (an administrator runs it).
  const stacks = definePlatform(Testing.app(), environment());
  for (const stack of Object.values(stacks)) {
    const name = stack.node.id.replace(/^example-/, "");
    if (name === "bootstrap") continue;
    const deps = stack.dependencies.map((d: any) => String(d.node.id).replace(/^example-/, "")).filter((d: string) => d !== "bootstrap");
    expect(needs[name].sort()).toEqual(deps.sort());
  }
  expect(workflows["deploy-stack.yml"].jobs.deploy.environment).toBe("${{ matrix.env }}");
  expect(w.concurrency["cancel-in-progress"]).toBe(false);
});

test("a scheduled drift check plans every stack and opens or updates an issue when a plan is not empty", () => {
  const w = workflows["drift.yml"];
  expect(w.on.schedule[0].cron).toMatch(/^\S+ \S+ \* \* \*$/);
  const steps = w.jobs.plan.steps;
  expect(steps.some((s: any) => String(s.run ?? "").includes("npm run -s plan"))).toBe(true);
  const issue = steps.find((s: any) => String(s.uses ?? "").startsWith("actions/github-script@"));
  expect(issue.if).toBe("${{ steps.plan.outputs.code == '2' }}");
  expect(issue.with.script).toContain("github.rest.issues.update");
  expect(issue.with.script).toContain("github.rest.issues.create");
});

describe("GitLab CI", () => {
  test("the same stages: test, diff on merge requests, deploy in order with manual approval, scheduled drift", () => {
    expect(gitlab.stages).toEqual(["test", "diff", "deploy-commons", "deploy-identity-cnpg", "deploy-mock-data-api", "drift"]);
    expect(gitlab["deploy-identity"].needs).toEqual(["deploy-commons"]);
    expect(gitlab["deploy-cnpg"].needs).toEqual(["deploy-commons"]);
    expect(gitlab["deploy-mock-data-api"].needs).toEqual(["deploy-cnpg"]);
    expect(gitlab[".deploy"].rules[0].when).toBe("manual");
    expect(gitlab.drift.rules[0].if).toContain("schedule");
  });

  test("no script prints a secret", () => {
    const scripts = JSON.stringify(gitlab);
    expect(scripts).not.toMatch(/set -x|echo \$TFVARS|echo "\$TFVARS|printenv/);
  });
});

describe("which environments a change touches", () => {
  const all = ["dev", "prod"];
  test.each([
    [["config/prod.yaml"], ["prod"]],
    [["secrets/dev.tfvars.gpg", "docs/x.md"], ["dev"]],
    [["config/gateway-keys/prod/k.public.pem"], ["prod"]],
    [["secrets/prod-gateway-keys.tfvars.gpg"], ["prod"]],
    [["modules/loki/index.ts", "config/prod.yaml"], ["dev", "prod"]],
    [["package-lock.json"], ["dev", "prod"]],
    [["README.md"], []],
  ])("%j -> %j", (changed, envs) => {
    expect(touchedEnvironments(all, changed)).toEqual(envs);
  });
});
