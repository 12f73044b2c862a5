#!/usr/bin/env node
// Runs a TypeScript entry point of this project: `node scripts/run.cjs <entry.ts> [args...]`.
// esbuild bundles the entry and the project's own modules in memory (npm packages stay external, loaded by
// node as usual), then node runs that bundle. This costs ~20 ms; a per-module transpiling loader cost
// ~400 ms per synth here (it also enables source maps for every npm module). Types are not checked: that is
// `npm run typecheck`'s job. Inside the project's own modules, `__dirname` is the entry's folder: resolve
// project paths from the working directory (the project root) instead.
"use strict";
const path = require("node:path");
const Module = require("node:module");
const esbuild = require("esbuild");

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error("usage: node scripts/run.cjs <entry.ts> [args...]");
  process.exit(2);
}
const file = path.resolve(entry);
const { outputFiles } = esbuild.buildSync({
  entryPoints: [file],
  bundle: true,
  packages: "external",
  platform: "node",
  format: "cjs",
  target: "node20",
  keepNames: true,
  sourcemap: "inline",
  write: false,
  logLevel: "error",
});
const main = new Module(file, module);
main.filename = file;
main.paths = Module._nodeModulePaths(path.dirname(file));
process.argv = [process.argv[0], file, ...args];
main._compile(outputFiles[0].text, file);
