/** `npm run render -- <artifact> --env <env> [--out <path>]` */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { loadEnvironment, validateConfig } from "../../lib/config";
import { renderCommand } from "../../lib/render/cli";

function render(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = renderCommand(argv, (t) => (stdout += t), (t) => (stderr += t));
  return { code, stdout, stderr };
}

describe("config", () => {
  test("prints the validated config with its defaults filled in", () => {
    const { code, stdout } = render("config", "--env", "example");
    expect(code).toBe(0);
    const rendered = parse(stdout);
    expect(rendered.state.bootstrap).toBe("local");
    expect(rendered).toEqual(loadEnvironment("example").config);
  });

  test("what it prints is itself a valid config file that means the same", () => {
    const { stdout } = render("config", "--env", "example");
    expect(validateConfig(parse(stdout), "rendered.yaml")).toEqual(loadEnvironment("example").config);
  });

  test("--out writes the file and says where", () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "render-")), "sub", "config.yaml");
    const { code, stdout, stderr } = render("config", "--env", "example", "--out", out);
    expect(code).toBe(0);
    expect(stdout).toBe("");
    expect(stderr).toContain(`wrote config of example to ${out}`);
    expect(parse(fs.readFileSync(out, "utf8")).dns.domain).toBe("platform.example.com");
  });
});

describe("bad command lines exit 2 with the usage", () => {
  test.each([
    [["config"], "render: --env <env> is required"],
    [[], "render: name an artifact"],
    [["realms", "--env", "example"], 'render: unknown artifact "realms"'],
    [["config", "extra", "--env", "example"], "render: unexpected extra"],
    [["config", "--env"], "render: Option '--env <value>' argument missing"],
  ])("%j", (argv, message) => {
    const { code, stderr } = render(...argv);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).toContain("usage: npm run render -- <artifact> --env <env> [--out <path>]");
  });
});

test("an unknown environment exits 1 with the config message", () => {
  const { code, stderr } = render("config", "--env", "nowhere");
  expect(code).toBe(1);
  expect(stderr).toContain("config/nowhere.yaml: (file): nothing, expected a config file");
});
