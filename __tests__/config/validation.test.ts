/**
 * config/<env>.yaml is validated when main.ts loads it: every problem at once, one line each, in the form
 * `config/<env>.yaml: <field path>: <what was found>, expected <what>`.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ConfigError, loadAllEnvironments, loadEnvironment, validateConfig } from "../../lib/config";
import { exampleRaw } from "../support/environments";

/** The problem lines for the example config after `change`; [] when it validates. */
function problems(change: (raw: Record<string, any>) => void): string[] {
  const raw = exampleRaw();
  change(raw);
  try {
    validateConfig(raw, "config/test.yaml");
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
}

describe("a valid environment file", () => {
  test("config/example.yaml validates and gets its defaults", () => {
    const { config } = loadEnvironment("example");
    expect(config.cluster.access).toBe("gke");
    expect(config.state.bootstrap).toBe("local");
    expect(config.commons.logs.retention).toBe("744h");
  });

  test("sections whose fields all have defaults may be left out", () => {
    expect(problems((c) => { delete c.cnpg; delete c.mockDataApi; delete c.identity.groups; delete c.commons.keycloak; })).toEqual([]);
  });
});

describe("each class of mistake gets one line that says what to write", () => {
  test.each([
    ["missing field", (c: any) => delete c.gcp.project,
      "config/test.yaml: gcp.project: nothing, expected a string"],
    ["missing section", (c: any) => delete c.dns,
      "config/test.yaml: dns: nothing, expected a map"],
    ["wrong type", (c: any) => (c.cluster.name = 42),
      "config/test.yaml: cluster.name: 42 (number), expected a string"],
    ["wrong type (list for map)", (c: any) => (c.state = ["local"]),
      "config/test.yaml: state: a list of 1, expected a map"],
    ["unknown field, with the likely key", (c: any) => (c.cluster.locaton = "europe-west1"),
      "config/test.yaml: cluster.locaton: unknown field (did you mean location?), expected one of name, location, access, kubeconfig, authorizedNetworks, create"],
    ["unknown top-level section", (c: any) => (c.comons = {}),
      "config/test.yaml: comons: unknown field (did you mean commons?), expected one of gcp, azure, cluster, state, ci, dns, commons, cnpg, identity, mockDataApi"],
    ["bad enum", (c: any) => (c.cluster.access = "aws"),
      'config/test.yaml: cluster.access: "aws", expected one of "gke", "kubeconfig"'],
    ["bad enum (case matters)", (c: any) => (c.identity.authMode = "IdentityService"),
      'config/test.yaml: identity.authMode: "IdentityService", expected one of "identityService", "workforceIdentity"'],
    ["malformed domain", (c: any) => (c.dns.domain = "platform_example.com"),
      'config/test.yaml: dns.domain: "platform_example.com", expected a lowercase domain name such as platform.example.com'],
    ["domain with a scheme", (c: any) => (c.dns.domain = "https://platform.example.com"),
      'config/test.yaml: dns.domain: "https://platform.example.com", expected a lowercase domain name such as platform.example.com'],
    ["malformed CIDR", (c: any) => (c.cluster.authorizedNetworks[0].cidr = "203.0.113.0/33"),
      'config/test.yaml: cluster.authorizedNetworks[0].cidr: "203.0.113.0/33", expected an IPv4 network in CIDR notation with no host bits set, such as 10.0.0.0/8'],
    ["CIDR with host bits", (c: any) => (c.cluster.authorizedNetworks[0].cidr = "203.0.113.7/24"),
      'config/test.yaml: cluster.authorizedNetworks[0].cidr: "203.0.113.7/24", expected an IPv4 network in CIDR notation with no host bits set, such as 10.0.0.0/8'],
    ["malformed e-mail", (c: any) => (c.commons.acme.email = "platform-team.example.com"),
      'config/test.yaml: commons.acme.email: "platform-team.example.com", expected an e-mail address such as ops@example.com'],
    ["malformed e-mail in a list", (c: any) => (c.commons.monitoring.alertEmails = ["ok@example.com", "bad@"]),
      'config/test.yaml: commons.monitoring.alertEmails[1]: "bad@", expected an e-mail address such as ops@example.com'],
    ["malformed duration", (c: any) => (c.commons.monitoring.retention = "15 days"),
      'config/test.yaml: commons.monitoring.retention: "15 days", expected a duration such as 30s, 12h, 15d or 1h30m (units ms, s, m, h, d, w, y)'],
    ["duration without unit", (c: any) => (c.commons.logs.retention = 744),
      "config/test.yaml: commons.logs.retention: 744 (number), expected a string"],
    ["duplicate client name", (c: any) => (c.mockDataApi.clients = [{ name: "acme" }, { name: "globex" }, { name: "acme" }]),
      'config/test.yaml: mockDataApi.clients[2].name: "acme", expected a name not used before (mockDataApi.clients[0].name has it)'],
    ["duplicate namespace", (c: any) => (c.identity.namespaces = ["team-a", "team-a"]),
      'config/test.yaml: identity.namespaces[1]: "team-a", expected a name not used before (identity.namespaces[0] has it)'],
    ["duplicate network name", (c: any) => c.cluster.authorizedNetworks.push({ name: "office", cidr: "198.51.100.0/24" }),
      'config/test.yaml: cluster.authorizedNetworks[1].name: "office", expected a name not used before (cluster.authorizedNetworks[0].name has it)'],
    ["uppercase name", (c: any) => (c.mockDataApi.clients = [{ name: "Acme" }]),
      'config/test.yaml: mockDataApi.clients[0].name: "Acme", expected a lowercase name of letters, digits and dashes (at most 40), such as team-a'],
    ["malformed project id", (c: any) => (c.gcp.project = "My Project"),
      'config/test.yaml: gcp.project: "My Project", expected a Google Cloud project id such as acme-platform-prod'],
    ["malformed tenant id", (c: any) => (c.azure.tenantId = "contoso.onmicrosoft.com"),
      'config/test.yaml: azure.tenantId: "contoso.onmicrosoft.com", expected a lowercase UUID such as 00000000-0000-0000-0000-000000000000'],
  ])("%s", (_name, change, line) => {
    expect(problems(change)).toEqual([line]);
  });
});

test("a misspelt required key reports both the typo and the missing key", () => {
  expect(problems((c) => { c.cluster.nmae = c.cluster.name; delete c.cluster.name; })).toEqual([
    "config/test.yaml: cluster.name: nothing, expected a string",
    "config/test.yaml: cluster.nmae: unknown field (did you mean name?), expected one of name, location, access, kubeconfig, authorizedNetworks, create",
  ]);
});

describe("fields that depend on each other", () => {
  test("a gcs backend needs a bucket", () => {
    expect(problems((c) => (c.state = { backend: "gcs" }))).toEqual([
      "config/test.yaml: state.bucket: nothing, expected a bucket name, because state.backend is gcs",
    ]);
  });

  test("a bucket with a local backend is a mistake, not ignored", () => {
    expect(problems((c) => (c.state = { backend: "local", bucket: "acme-tfstate" }))).toEqual([
      'config/test.yaml: state.bucket: "acme-tfstate", expected no bucket, because state.backend is local (or set backend: gcs)',
    ]);
  });

  test("bootstrap state in gcs needs the gcs backend", () => {
    expect(problems((c) => (c.state = { backend: "local", bootstrap: "gcs" }))).toEqual([
      'config/test.yaml: state.bootstrap: "gcs", expected "local", because state.backend is not gcs',
    ]);
  });

  test("kubeconfig access needs a context", () => {
    expect(problems((c) => (c.cluster.access = "kubeconfig"))).toEqual([
      "config/test.yaml: cluster.kubeconfig: nothing, expected a map with context (and path), because cluster.access is kubeconfig",
    ]);
    expect(problems((c) => { c.cluster.access = "kubeconfig"; c.cluster.kubeconfig = {}; })).toEqual([
      "config/test.yaml: cluster.kubeconfig.context: nothing, expected a string",
    ]);
  });

  test("a kubeconfig with gke access is a mistake, not ignored", () => {
    expect(problems((c) => (c.cluster.kubeconfig = { context: "kind-platform" }))).toEqual([
      "config/test.yaml: cluster.kubeconfig: a map, expected nothing, because cluster.access is gke (or set access: kubeconfig)",
    ]);
  });
});

describe("all problems are reported at once", () => {
  test("three mistakes in three sections give three lines", () => {
    const lines = problems((c) => {
      delete c.gcp.region;
      c.dns.domain = "localhost";
      c.mockDataApi.clients = [{ name: "a" }, { name: "a" }];
    });
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => l.split(":")[1].trim())).toEqual(["gcp.region", "dns.domain", "mockDataApi.clients[1].name"]);
  });

  test("problems in several files are all reported", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "config-"));
    fs.mkdirSync(path.join(root, "config"));
    fs.writeFileSync(path.join(root, "config", "one.yaml"), "gcp: {}\n");
    fs.writeFileSync(path.join(root, "config", "two.yaml"), "gcp: {}\n");
    try {
      loadAllEnvironments(root);
      throw new Error("expected a ConfigError");
    } catch (e) {
      const lines = (e as ConfigError).problems;
      expect(lines.some((l) => l.startsWith("config/one.yaml: gcp.project: "))).toBe(true);
      expect(lines.some((l) => l.startsWith("config/two.yaml: gcp.project: "))).toBe(true);
    } finally {
      fs.rmSync(root, { recursive: true });
    }
  });
});

describe("files that are not config", () => {
  const withFile = (name: string, text: string | undefined, run: (root: string) => void) => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "config-"));
    fs.mkdirSync(path.join(root, "config"));
    if (text !== undefined) fs.writeFileSync(path.join(root, "config", `${name}.yaml`), text);
    try {
      run(root);
    } finally {
      fs.rmSync(root, { recursive: true });
    }
  };

  test("invalid YAML names the line", () => {
    withFile("bad", "gcp:\n  project: a\n  project: b\n", (root) => {
      expect(() => loadEnvironment("bad", root)).toThrow(/^config\/bad\.yaml: line 3: .*expected valid YAML$/);
    });
  });

  test("an empty file is reported, not crashed on", () => {
    withFile("empty", "", (root) => {
      expect(() => loadEnvironment("empty", root)).toThrow("config/empty.yaml: (top level): null, expected a map");
    });
  });

  test("an unknown environment lists the known ones", () => {
    expect(() => loadEnvironment("prod")).toThrow("config/prod.yaml: (file): nothing, expected a config file (known environments: example)");
  });

  test("an environment name that would make ambiguous stack ids is refused", () => {
    expect(() => loadEnvironment("my-env")).toThrow(/config\/my-env\.yaml: \(file name\): "my-env", expected an environment name of lowercase letters and digits/);
  });
});
