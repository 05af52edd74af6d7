import { defineConfig } from "vitest/config";

// Three tiers a newcomer can run on their own (npm test runs all three):
// - unit: pure code, no Jupyter, kernel or browser: `npm run test:unit`, seconds;
// - kernel: real tslab kernels through Jupyter (the lessons, the tools): `npx vitest run --project kernel`;
// - browser: the rendered site in Debian's Chromium: `npx vitest run --project browser`.
// Kernel and browser tiers build dist/ first (notebooks import micrograd-ts from there), so a run
// after a change in src/ never tests a stale build. Speed targets live in `npm run bench`, never
// in test timeouts.
// Two files at a time in every tier (vitest's default on 2 cores is one): a kernel file spends most
// of its time waiting for tslab and Jupyter, so two overlap well. Tiers run together must agree.
const workers = { maxWorkers: 2 };
// Unit tests are quick alone, but share the machine with the kernel tier when npm test runs them
// together: room enough, since speed is measured by npm run bench, never by a test's timeout.
const unit = { testTimeout: 60_000, ...workers };
const slow = { testTimeout: 180_000, hookTimeout: 300_000, globalSetup: ["test/support/global-setup.ts"], ...workers };

export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: ["test/unit/**/*.test.ts"], ...unit } },
      { test: { name: "kernel", include: ["test/kernel/**/*.test.ts"], ...slow } },
      { test: { name: "browser", include: ["test/browser/**/*.test.ts"], ...slow } },
    ],
  },
});
