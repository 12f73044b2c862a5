/**
 * Every environment in config/ synthesizes its five stacks, each with its backend and providers, in the order
 * of DESIGN §2. This is what `npm run synth` and `cdktf deploy <env>-<stack>` rely on.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App } from "cdktf";
import { listEnvironments, loadEnvironment } from "../../lib/config";
import { definePlatform, STACK_NAMES } from "../../stacks";
import { environment, PROJECT_ROOT, rootFor, synthPlatform } from "../support/environments";
import { Template } from "../support/template";

/** The providers each stack needs (DESIGN §2), plus google wherever ClusterAccess reads a GKE cluster. */
const PROVIDERS: Record<string, string[]> = {
  bootstrap: ["azuread", "google"],
  commons: ["google", "helm", "kubernetes"],
  identity: ["azuread", "google", "helm", "kubernetes", "local"],
  cnpg: ["google", "helm", "kubernetes", "random"],
  "mock-data-api": ["google", "helm", "kubernetes"],
};

describe.each(listEnvironments(PROJECT_ROOT))("environment %s, synthesized as `npm run synth` does", (name) => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "synth-"));
  beforeAll(() => {
    const app = new App({ outdir });
    definePlatform(app, loadEnvironment(name, PROJECT_ROOT), { root: PROJECT_ROOT });
    app.synth();
  });
  afterAll(() => fs.rmSync(outdir, { recursive: true }));

  const read = (file: string) => JSON.parse(fs.readFileSync(path.join(outdir, file), "utf8"));

  test.each(STACK_NAMES.map((s) => [s]))("%s has a backend and exactly its providers", (stack) => {
    const template = new Template(read(`stacks/${name}-${stack}/cdk.tf.json`));
    expect(["local", "gcs"]).toContain(template.backend().type);
    expect(template.providerTypes()).toEqual(PROVIDERS[stack]);
    expect(Object.keys(template.json.terraform.required_providers).sort()).toEqual(PROVIDERS[stack]);
  });

  test("the manifest lists the five stacks with the dependencies the CLI deploys in order", () => {
    const stacks = read("manifest.json").stacks as Record<string, { dependencies: string[] }>;
    const deps = Object.fromEntries(Object.entries(stacks).filter(([id]) => id.startsWith(`${name}-`)).map(([id, s]) => [id, s.dependencies]));
    expect(deps).toEqual({
      [`${name}-bootstrap`]: [],
      [`${name}-commons`]: [`${name}-bootstrap`],
      [`${name}-identity`]: [`${name}-commons`],
      [`${name}-cnpg`]: [`${name}-commons`],
      [`${name}-mock-data-api`]: [`${name}-cnpg`],
    });
  });

  test("no stack reads another stack's state (diff works before upstream stacks exist)", () => {
    for (const stack of STACK_NAMES) {
      const json = read(`stacks/${name}-${stack}/cdk.tf.json`);
      expect(Object.keys(json.data ?? {})).not.toContain("terraform_remote_state");
    }
  });
});

describe("state backends", () => {
  const gcsEnv = () =>
    environment("prod", (c) => {
      c.state = { backend: "gcs", bucket: "acme-platform-tfstate" };
    });

  test("every in-cluster stack keeps its state in the bucket under <env>/<stack>", () => {
    const { templates } = synthPlatform(gcsEnv());
    expect(templates.commons.backend()).toEqual({ type: "gcs", config: { bucket: "acme-platform-tfstate", prefix: "prod/commons" } });
    expect(templates.mockDataApi.backend()).toEqual({ type: "gcs", config: { bucket: "acme-platform-tfstate", prefix: "prod/mock-data-api" } });
  });

  test("bootstrap keeps local state by default: it creates the bucket", () => {
    const { templates } = synthPlatform(gcsEnv());
    expect(templates.bootstrap.backend()).toEqual({ type: "local", config: { path: "../../../terraform.prod-bootstrap.tfstate" } });
  });

  test("bootstrap moves to the bucket once configured", () => {
    const { templates } = synthPlatform(
      environment("prod", (c) => {
        c.state = { backend: "gcs", bucket: "acme-platform-tfstate", bootstrap: "gcs" };
      }),
    );
    expect(templates.bootstrap.backend()).toEqual({ type: "gcs", config: { bucket: "acme-platform-tfstate", prefix: "prod/bootstrap" } });
  });

  test("the example keeps local state files in the project root, outside cdktf.out", () => {
    const { templates } = synthPlatform(environment());
    expect(templates.cnpg.backend()).toEqual({ type: "local", config: { path: "../../../terraform.example-cnpg.tfstate" } });
  });
});

describe("providers", () => {
  test("google works in the environment's project and region and labels what it creates", () => {
    const { templates } = synthPlatform(environment());
    expect(templates.commons.providers("google")).toEqual([
      {
        project: "example-platform",
        region: "europe-west1",
        default_labels: { platform_environment: "example", platform_stack: "commons" },
      },
    ]);
  });

  test("azuread works in the environment's tenant", () => {
    const { templates } = synthPlatform(environment());
    expect(templates.identity.providers("azuread")).toEqual([{ tenant_id: "00000000-0000-0000-0000-000000000000" }]);
  });

  test("two environments live side by side in one app with distinct stack ids", () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "synth-")) });
    definePlatform(app, environment("dev"), { root: rootFor("dev") });
    definePlatform(app, environment("prod"), { root: rootFor("prod") });
    expect(app.node.children.map((c) => c.node.id).sort()).toEqual(
      ["dev", "prod"].flatMap((e) => STACK_NAMES.map((s) => `${e}-${s}`)).sort(),
    );
  });
});
