import { describe, expect, it } from 'vitest';
import { databaseModes } from '../support/testDatabase.js';
import { adminHeaders, demoDataDir, useTestApp } from '../support/testApp.js';

describe.each(databaseModes())('gap analysis over the demo data (%s database)', (mode) => {
  const context = useTestApp(mode, demoDataDir);

  it('runs on the Bordeaux alliance at H3 resolution 7 with INSEE populations, and ranks real gaps', async () => {
    const accepted = await context.app.inject({
      method: 'POST',
      url: '/api/alliances/bordeaux/gap-analyses',
      payload: { units: { kind: 'h3', resolution: 7 } },
      headers: adminHeaders,
    });
    expect(accepted.statusCode).toBe(202);
    let run;
    do {
      await new Promise((resolve) => setTimeout(resolve, 200));
      run = (await context.app.inject({ url: accepted.json().progressUrl })).json();
    } while (run.status === 'running');
    expect(run.status, run.error).toBe('done');
    // The Gironde communes placed at a GeoNames point (data/demand/FR-GI.json), all kept by the grid.
    expect(run.summary.totalPopulation).toBe(1_478_521);
    expect(run.summary.populationSource).toMatch(/INSEE commune populations/);
    const worst = (await context.app.inject({ url: `/api/gap-analyses/${run.id}/results?limit=1` })).json().items[0];
    expect(worst.reason).toMatch(/^No .* service within 10 km for ~[\d,]+ inhabitants$/);
  }, 60_000);
});
