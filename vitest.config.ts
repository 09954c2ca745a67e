import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/bench/**", "node_modules/**"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: more workers than that only adds contention for the emulator tests.
    maxWorkers: 2,
    // Tests that start bin/siteform.js as a process need the bundle of the current sources.
    globalSetup: ["test/support/build.ts"],
  },
});
