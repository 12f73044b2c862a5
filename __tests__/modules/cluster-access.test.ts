/** ClusterAccess gives Kubernetes and Helm providers short-lived credentials, never a static secret (DESIGN §4). */
import { TerraformStack, Testing } from "cdktf";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { ClusterAccess, type ClusterAccessProps } from "../../modules/cluster-access";
import { environment, synthPlatform } from "../support/environments";
import { Template } from "../support/template";

function synth(props: ClusterAccessProps): Template {
  const stack = new TerraformStack(Testing.app(), "test");
  new GoogleProvider(stack, "google", { project: "p" });
  new ClusterAccess(stack, "cluster-access", props);
  return Template.of(stack);
}

describe("gke mode", () => {
  const template = synth({ mode: "gke", clusterName: "platform", location: "europe-west1", project: "acme-prod" });

  test("reads the cluster by name and location from config", () => {
    expect(template.dataSources("google_container_cluster")).toEqual([
      expect.objectContaining({ name: "platform", location: "europe-west1", project: "acme-prod" }),
    ]);
  });

  test("kubernetes and helm get the endpoint, the CA and the caller's short-lived token", () => {
    const cluster = template.dataSources("google_container_cluster")[0].$id;
    const client = template.dataSources("google_client_config")[0].$id;
    const expected = {
      host: `https://\${data.google_container_cluster.${cluster}.endpoint}`,
      token: `\${data.google_client_config.${client}.access_token}`,
      cluster_ca_certificate: `\${base64decode(data.google_container_cluster.${cluster}.master_auth[0].cluster_ca_certificate)}`,
    };
    expect(template.providers("kubernetes")).toEqual([expected]);
    expect(template.providers("helm")).toEqual([{ kubernetes: expected }]);
  });

  test("no kubeconfig file, client certificate or literal token is configured", () => {
    const text = JSON.stringify(template.json.provider);
    for (const field of ["config_path", "client_key", "client_certificate", "password", "exec"]) expect(text).not.toContain(field);
    expect(template.providers("kubernetes")[0].token).toMatch(/^\$\{data\.google_client_config\./);
  });
});

describe("kubeconfig mode", () => {
  const template = synth({ mode: "kubeconfig", path: "~/.kube/config", context: "kind-platform" });

  test("both providers use the named context of the file", () => {
    expect(template.providers("kubernetes")).toEqual([{ config_path: "~/.kube/config", config_context: "kind-platform" }]);
    expect(template.providers("helm")).toEqual([{ kubernetes: { config_path: "~/.kube/config", config_context: "kind-platform" } }]);
  });

  test("does not read any GKE cluster", () => {
    expect(template.dataSources("google_container_cluster")).toEqual([]);
    expect(template.dataSources("google_client_config")).toEqual([]);
  });

  test("refuses an empty context rather than falling back to the file's current one", () => {
    expect(() => synth({ mode: "kubeconfig", path: "~/.kube/config", context: "" })).toThrow(/needs a context/);
  });
});

describe("the config switch", () => {
  test("cluster.access: kubeconfig reaches every in-cluster stack", () => {
    const { templates } = synthPlatform(
      environment("kind", (c) => {
        c.cluster.access = "kubeconfig";
        c.cluster.kubeconfig = { context: "kind-platform" };
      }),
    );
    for (const t of [templates.commons, templates.identity, templates.cnpg, templates.mockDataApi]) {
      expect(t.providers("kubernetes")).toEqual([{ config_path: "~/.kube/config", config_context: "kind-platform" }]);
    }
  });

  test("identity needs no google provider when it does not read a GKE cluster", () => {
    const { templates } = synthPlatform(
      environment("kind", (c) => {
        c.cluster.access = "kubeconfig";
        c.cluster.kubeconfig = { path: "/etc/kind/config", context: "kind-platform" };
      }),
    );
    expect(templates.identity.providerTypes()).toEqual(["azuread", "helm", "kubernetes", "local"]);
  });
});
