/** Tests run through @swc/jest (transpile only); `npm test` type-checks first with `tsc --noEmit`. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  setupFilesAfterEnv: ["<rootDir>/__tests__/support/setup.ts"],
  // Some tests run real programs (gpg, the synth, key generation): generous on a loaded 2-core CI machine.
  testTimeout: 30000,
  // Snapshots are written only on purpose (`npx jest -u`), never by CI.
  ci: process.env.CI === "true",
};
