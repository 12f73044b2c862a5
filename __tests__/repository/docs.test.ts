/** The README and docs stay true to the code. */
import * as fs from "node:fs";
import * as path from "node:path";
import { Testing } from "cdktf";
import { definePlatform, STACK_NAMES } from "../../stacks";
import { environment, PROJECT_ROOT } from "../support/environments";

const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");

test("the deploy order in the README puts every stack after the stacks it depends on", () => {
  const section = readme.split("Deploy order:")[1].split("\n\n")[1];
  const order = [...section.matchAll(/^\d+\. `<env>-([a-z-]+)`/gm)].map((m) => m[1]);
  expect([...order].sort()).toEqual([...STACK_NAMES].sort());

  const stacks = definePlatform(Testing.app(), environment());
  for (const stack of Object.values(stacks)) {
    const name = stack.node.id.replace(/^example-/, "");
    for (const dependency of stack.dependencies) {
      const upstream = dependency.node.id.replace(/^example-/, "");
      expect(order.indexOf(upstream)).toBeLessThan(order.indexOf(name));
    }
  }
});

test("the README's two set-up commands are the ones CI runs", () => {
  expect(readme).toContain("npm ci && npm run synth");
  expect(readme).toMatch(/^npm test\b/m);
  const ci = fs.readFileSync(path.join(PROJECT_ROOT, ".ci", "run"), "utf8");
  expect(ci).toMatch(/^npm ci\b/m);
  expect(ci).toMatch(/^npm test\b/m);
});

test.each(STACK_NAMES.map((s) => [s]))("stack %s has its page in docs/", (stack) => {
  expect(fs.existsSync(path.join(PROJECT_ROOT, "docs", `${stack}.md`))).toBe(true);
});
