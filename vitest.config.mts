import { defineConfig } from "vitest/config";

// Notebook and browser tests start Jupyter kernels and Chromium: give them room. Speed targets
// are checked by `npm run bench`, never by test timeouts.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "dist/**", "site/**", "exercises/**"],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    // Installs the tslab kernelspec once, before test files run in parallel.
    globalSetup: ["test/tools-global-setup.ts"],
  },
});
