import type { BrowserContext } from 'playwright-core';
import { expect } from 'vitest';
import { baseUrl } from './browserSession.js';

/** A run over the Bordeaux region at resolution 6 takes a few seconds, more while other suites share the cores. */
export const GAP_ANALYSIS_RUN_MS = 120_000;

/**
 * Starts a gap analysis of Bordeaux as the context's signed-in coordinator (H3 cells at resolution 6, 10 km unless
 * `settings` say otherwise), polls it until it is done and answers its id.
 */
export async function finishedGapAnalysis(
  context: BrowserContext,
  csrfToken: string,
  settings: Record<string, unknown> = {},
): Promise<string> {
  const started = await context.request.post(`${baseUrl}/api/alliances/bordeaux/gap-analyses`, {
    headers: { 'x-csrf-token': csrfToken },
    data: { units: { kind: 'h3', resolution: 6 }, thresholdM: 10_000, ...settings },
  });
  expect(started.status(), await started.text()).toBe(202);
  const { id } = (await started.json()) as { id: string };
  const deadline = Date.now() + GAP_ANALYSIS_RUN_MS;
  while (Date.now() < deadline) {
    const run = (await (await context.request.get(`${baseUrl}/api/gap-analyses/${id}`)).json()) as { status: string };
    if (run.status === 'done') return id;
    expect(run.status).toBe('running');
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`The gap analysis ${id} did not finish within ${GAP_ANALYSIS_RUN_MS} ms.`);
}
