/**
 * Provider packages are imported by deep path (`@cdktf/provider-google/lib/storage-bucket`). The package barrel
 * loads every resource class of the provider: about 8x the synth time and 10x the memory.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../support/environments";

const BARREL = /(?:from\s*|require\s*\(\s*|import\s*\(\s*)["'](@cdktf\/provider-[a-z0-9-]+)(?:\/lib(?:\/index(?:\.js)?)?)?["']/g;

/** `file:line: <package>` for each barrel import in `text`. */
export function barrelImports(file: string, text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(BARREL)) {
    const line = text.slice(0, match.index).split("\n").length;
    found.push(`${file}:${line}: imports the ${match[1]} barrel; import the class from ${match[1]}/lib/<resource> instead`);
  }
  return found;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (["node_modules", "cdktf.out", ".git", ".gen"].includes(entry.name)) return [];
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|js|mjs|cjs)$/.test(entry.name) ? [full] : [];
  });
}

describe("the barrel check", () => {
  test.each([
    ['import { GoogleProvider } from "@cdktf/provider-google";'],
    ["import * as google from '@cdktf/provider-google';"],
    ['const k = require("@cdktf/provider-kubernetes");'],
    ['import { helm } from "@cdktf/provider-helm/lib";'],
    ['import { x } from "@cdktf/provider-azuread/lib/index";'],
    ['const g = await import("@cdktf/provider-google");'],
  ])("catches %s", (line) => {
    expect(barrelImports("x.ts", `// header\n${line}\n`)).toEqual([expect.stringMatching(/^x\.ts:2: imports the @cdktf\/provider-[a-z]+ barrel/)]);
  });

  test.each([
    ['import { StorageBucket } from "@cdktf/provider-google/lib/storage-bucket";'],
    ['import { HelmProvider } from "@cdktf/provider-helm/lib/provider";'],
    ['import type { Release } from "@cdktf/provider-helm/lib/release";'],
  ])("accepts %s", (line) => {
    expect(barrelImports("x.ts", line)).toEqual([]);
  });
});

test("no file of the project imports a provider barrel", () => {
  const self = path.relative(PROJECT_ROOT, __filename);
  const problems = sourceFiles(PROJECT_ROOT)
    .map((f) => path.relative(PROJECT_ROOT, f))
    .filter((f) => f !== self)
    .flatMap((f) => barrelImports(f, fs.readFileSync(path.join(PROJECT_ROOT, f), "utf8")));
  expect(problems).toEqual([]);
});
