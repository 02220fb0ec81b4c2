import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Front-end modules under test may import shared state written with Svelte runes (`*.svelte.ts`).
  plugins: [svelte()],
  test: {
    include: ['tests/**/*.test.ts', 'web/src/**/*.test.ts'],
    globalSetup: ['tests/support/globalSetup.ts'],
    testTimeout: 30_000,
    hookTimeout: 90_000,
    // A browser page on two busy cores can take seconds to draw what a poll waits for; a poll that succeeds
    // returns at once, so only a failing one waits this long.
    expect: { poll: { timeout: 10_000 } },
    pool: 'forks',
    // Two cores: each worker holds an embedded PostGIS in memory.
    maxWorkers: 2,
    // CI also keeps a machine-readable summary, from which .ci/run prints its closing count.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: '.tmp/vitest-results.json' },
  },
});
