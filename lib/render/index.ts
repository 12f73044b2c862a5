/**
 * Generated artifacts that users inspect or hand to someone: `npm run render -- <artifact> --env <env>`.
 * Each later component registers its artifact here (realm, sql, gateway, dataloader, ...).
 */
import { stringify } from "yaml";
import type { Environment } from "../config";

export interface Artifact {
  /** One line for the usage text. */
  readonly description: string;
  /** Renders the artifact of an environment as text. */
  render(environment: Environment): string;
}

export const ARTIFACTS: Record<string, Artifact> = {
  config: {
    description: "the validated config of the environment with every default filled in (YAML)",
    render: (environment) =>
      `# config/${environment.name}.yaml as the stacks see it: validated, every default filled in.\n${stringify(environment.config)}`,
  },
};
