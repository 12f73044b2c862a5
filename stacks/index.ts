/**
 * One environment = five stacks wired in the order of DESIGN §2:
 *
 *   bootstrap ──> commons ──┬──> identity
 *                           └──> cnpg ──> mock-data-api
 *
 * Stacks find upstream things by name from config, never through cross-stack references, so that
 * `cdktf diff` of any stack works before its upstream stacks were ever deployed.
 */
import { Construct } from "constructs";
import type { Environment } from "../lib/config";
import { BootstrapStack } from "./bootstrap";
import { CnpgStack } from "./cnpg";
import { CommonsStack } from "./commons";
import { IdentityStack } from "./identity";
import { MockDataApiStack } from "./mock-data-api";

export * from "./platform-stack";
export { BootstrapStack, CnpgStack, CommonsStack, IdentityStack, MockDataApiStack };

export interface PlatformStacks {
  readonly bootstrap: BootstrapStack;
  readonly commons: CommonsStack;
  readonly identity: IdentityStack;
  readonly cnpg: CnpgStack;
  readonly mockDataApi: MockDataApiStack;
}

/** Creates the five stacks of `environment` in `app`, with their dependencies declared. */
export function definePlatform(app: Construct, environment: Environment, options: { root?: string } = {}): PlatformStacks {
  const props = { environment, root: options.root };
  const bootstrap = new BootstrapStack(app, props);
  const commons = new CommonsStack(app, props);
  const identity = new IdentityStack(app, props);
  const cnpg = new CnpgStack(app, props);
  const mockDataApi = new MockDataApiStack(app, props);

  commons.addDependency(bootstrap);
  identity.addDependency(commons);
  cnpg.addDependency(commons);
  mockDataApi.addDependency(cnpg);
  return { bootstrap, commons, identity, cnpg, mockDataApi };
}
