/** login_config.yaml: golden files, one test per rule Google's tools enforce (DESIGN §6), and the CLI. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { loginConfig, renderLoginConfig, validateLoginConfig } from "../../lib/login-config";
import { loginConfigCommand } from "../../lib/login-config-cli";
import { PROJECT_ROOT } from "../support/environments";

const golden = (name: string) => fs.readFileSync(path.join(__dirname, "golden", name), "utf8");
const base = { clusterName: "platform", issuerUri: "https://auth.platform.example.com/realms/kubernetes", groupPrefix: "oidc:" };

function run(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = loginConfigCommand(argv, { root: PROJECT_ROOT, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe("golden files", () => {
  test("from config alone (the offline example)", () => {
    expect(run("--env", "example", "--out", "-").stdout).toBe(golden("login_config.example.yaml"));
  });

  test("with the cluster's server and CA from the identity stack's outputs", () => {
    const outputs = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "outputs-")), "outputs.json");
    fs.writeFileSync(outputs, JSON.stringify({ "example-identity": { cluster_server: "https://203.0.113.10", cluster_ca: "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==" } }));
    expect(run("--env", "example", "--outputs", outputs, "--out", "-").stdout).toBe(golden("login_config.with-outputs.yaml"));
  });

  test("both are valid by every rule", () => {
    expect(validateLoginConfig(golden("login_config.example.yaml"))).toEqual([]);
    expect(validateLoginConfig(golden("login_config.with-outputs.yaml"))).toEqual([]);
  });
});

describe("each rule of Google's tools, broken once", () => {
  const broken = (change: (c: Record<string, any>) => void) => {
    const c = loginConfig(base) as Record<string, any>;
    change(c);
    return validateLoginConfig(stringify(c));
  };
  const oidc = (c: Record<string, any>) => c.spec.authentication[0].oidc;

  test("exactly one YAML document", () => {
    const text = stringify(loginConfig(base));
    expect(validateLoginConfig(`${text}---\n${text}`)).toEqual(["expected exactly one YAML document, found 2"]);
  });
  test("spec present", () => expect(broken((c) => delete c.spec)).toEqual(["spec is missing"]));
  test("spec.name is the cluster name", () => expect(broken((c) => delete c.spec.name)).toEqual(["spec.name (the cluster name --cluster matches) is missing"]));
  test("every method has a name", () => expect(broken((c) => delete c.spec.authentication[0].name)).toEqual(["spec.authentication[0].name is missing"]));
  test("an oidc method needs clientID", () => expect(broken((c) => delete oidc(c).clientID)).toEqual(["spec.authentication[0].oidc.clientID is missing"]));
  test("issuerURI is https", () =>
    expect(broken((c) => (oidc(c).issuerURI = "http://auth.example.com/realms/k"))).toEqual(["spec.authentication[0].oidc.issuerURI must start with https://"]));
  test("issuerURI is not the discovery document", () =>
    expect(broken((c) => (oidc(c).issuerURI += "/.well-known/openid-configuration"))).toEqual([
      "spec.authentication[0].oidc.issuerURI must not contain /.well-known/openid-configuration",
    ]));
  test("groupPrefix only with groupsClaim", () =>
    expect(broken((c) => delete oidc(c).groupsClaim)).toEqual(["spec.authentication[0].oidc.groupPrefix needs groupsClaim"]));
  test("the group prefix is never empty", () =>
    expect(broken((c) => (oidc(c).groupPrefix = ""))).toEqual([
      "spec.authentication[0].oidc.groupPrefix must not be empty (a group named system:masters would become that group)",
    ]));
  test("at most 20 methods", () =>
    expect(broken((c) => (c.spec.authentication = Array.from({ length: 21 }, (_, i) => ({ ...c.spec.authentication[0], name: `m${i}` }))))).toEqual([
      "spec.authentication has 21 methods; at most 20",
    ]));
  test("scopes is one comma-separated string", () =>
    expect(broken((c) => (oidc(c).scopes = ["openid", "email"]))).toEqual(["spec.authentication[0].oidc.scopes must be one comma-separated string"]));
  test("proxy is a sibling of oidc, not inside it", () =>
    expect(broken((c) => (oidc(c).proxy = "http://proxy:3128"))).toEqual(["spec.authentication[0].oidc.proxy: proxy is a sibling of oidc, not inside it"]));
  test("kubectlRedirectURI is a localhost callback", () =>
    expect(broken((c) => (oidc(c).kubectlRedirectURI = "https://example.com/cb"))).toEqual([
      "spec.authentication[0].oidc.kubectlRedirectURI must be http://localhost:<port>/callback",
    ]));
  test("no client secret in a file handed to users", () =>
    expect(broken((c) => (oidc(c).clientSecret = "s3cret"))).toEqual([
      "spec.authentication[0].oidc.clientSecret must not be in a file handed to users (the client is public)",
    ]));
  test("the right apiVersion and kind", () =>
    expect(broken((c) => ((c.apiVersion = "v1"), (c.kind = "Config")))).toEqual(["apiVersion must be authentication.gke.io/v2alpha1", "kind must be ClientConfig"]));

  test("rendering refuses to produce a file that breaks a rule", () => {
    expect(() => renderLoginConfig({ ...base, issuerUri: "http://insecure" })).toThrow(/issuerURI must start with https/);
  });
});

describe("npm run login-config", () => {
  test("writes the file 0600", () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "login-")), "login_config.yaml");
    const { code, stderr } = run("--env", "example", "--out", out);
    expect(code).toBe(0);
    expect(stderr).toContain(`wrote ${out}`);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
  });

  test("bad inputs exit 1 with a clear line", () => {
    expect(run()).toMatchObject({ code: 1, stderr: expect.stringMatching(/^login-config: --env <env> is required/) });
    expect(run("--env", "nowhere")).toMatchObject({ code: 1, stderr: expect.stringMatching(/^config\/nowhere\.yaml: \(file\)/) });
    expect(run("--env", "example", "--outputs", "/nonexistent.json")).toMatchObject({ code: 1, stderr: expect.stringMatching(/^\/nonexistent\.json: cannot read the outputs/) });
  });
});
