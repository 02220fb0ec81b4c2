import { sql } from 'kysely';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseMode } from '../../server/src/db/database.js';
import { loadDemoData } from '../../server/src/domain/demo-data/loadDemoData.js';
import { readDemoData } from '../../server/src/domain/demo-data/demoDataFiles.js';
import { addAllianceMember } from '../support/accounts.js';
import { type OwnApp, startOwnApp } from '../support/e2eServer.js';
import { latticeExtract, nearestJunction } from '../support/osmLattice.js';
import { databaseModes } from '../support/testDatabase.js';
import {
  PHONE,
  WAIT_MS,
  launchBrowser,
  missingPrerequisite,
  screenshotDir,
  skipLoudly,
  watchPage,
  type PageWatch,
} from './browserSession.js';
import { hashQuery, sidewaysOverflow } from './pageChecks.js';

const TEST_MS = 240_000;
const SETUP_MS = 120_000;

const missing = missingPrerequisite();
const skip = skipLoudly(missing, 'ROSCOMMON TRAVEL-TIME WALK-THROUGH BROWSER TESTS');

const coordinator = { email: 'coordinator@roscommon.example', password: 'roscommon coordinator 1', name: 'Róisín' };

/**
 * The region's extract, generated: no real OpenStreetMap extract of the county is on this machine. A lattice of
 * roads every 2.2 km over the Roscommon alliance's extent (primary, secondary, residential streets, some one-way,
 * and tracks): about 3,000 junctions and 6,000 road sections.
 */
const lattice = { west: -8.82, south: 53.27, east: -6.95, north: 54.12, stepDegrees: 0.02 };
const extract = latticeExtract(lattice);

/**
 * Issue 15's walk-through, as a Roscommon coordinator would make it through the pages, in each database mode:
 * import the region's OpenStreetMap extract, run a driving and a walking analysis, see what a service reaches by car,
 * then add two planned services from the action plan to the driving run, read how many people they would bring
 * within 20 minutes, and see each action's expected effect on the plan.
 */
describe.skipIf(skip).each(databaseModes())(
  'a Roscommon coordinator measures access in minutes (%s database)',
  (mode: DatabaseMode) => {
    let own: OwnApp;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let seen: PageWatch;
    let drivingRun = '';
    let csrf = '';

    beforeAll(async () => {
      own = await startOwnApp(
        { mode },
        {
          prepare: async (db, config) => {
            await loadDemoData(db, await readDemoData(config.dataDir));
            await addAllianceMember(db, 'roscommon', coordinator, 'coordinator');
          },
        },
      );
      browser = await launchBrowser(missing);
      context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const login = await context.request.post(`${own.origin}/api/auth/login`, {
        data: { email: coordinator.email, password: coordinator.password },
      });
      expect(login.status()).toBe(200);
      csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
      page = await context.newPage();
      seen = watchPage(page, own.origin);
    }, SETUP_MS);

    afterAll(async () => {
      await browser?.close();
      await own?.stop();
    }, SETUP_MS);

    it(
      'imports the region’s OpenStreetMap extract, and the analysis form offers travel times at once',
      async () => {
        await page.goto(`${own.origin}/map#/gap-analysis/roscommon`, { waitUntil: 'domcontentloaded' });
        const section = page.getByTestId('road-network');
        await expect.poll(() => section.textContent(), { timeout: WAIT_MS }).toContain('No road network yet');
        await section.getByLabel('OpenStreetMap extract').setInputFiles({
          name: 'roscommon.osm',
          mimeType: 'application/xml',
          buffer: Buffer.from(extract.xml),
        });
        await section.getByRole('button', { name: 'Import', exact: true }).click();
        await expect
          .poll(
            () =>
              section
                .getByTestId('road-network-active')
                .textContent()
                .catch(() => ''),
            { timeout: TEST_MS / 2 },
          )
          .toMatch(/roscommon\.osm, imported on/);
        expect(await page.getByTestId('gap-travel').isDisabled()).toBe(false);
      },
      TEST_MS,
    );

    async function runAnalysis(travel: 'drive' | 'walk', minutes: number): Promise<string> {
      const before = hashQuery(page).get('run') ?? '';
      await page.getByLabel('Areas', { exact: true }).selectOption('h3:6');
      await page.getByTestId('gap-travel').selectOption(travel);
      await page.getByTestId('gap-threshold-minutes').fill(String(minutes));
      await page.getByTestId('run-analysis').click();
      // The link names the new run once the server has taken it; until then it still names the one before.
      const newRun = () => {
        const run = hashQuery(page).get('run') ?? '';
        return run !== before && /^[0-9a-f-]{36}$/.test(run);
      };
      await expect.poll(newRun, { timeout: TEST_MS / 2 }).toBe(true);
      const run = hashQuery(page).get('run')!;
      await page
        .locator('[data-testid="ranked-area"]')
        .first()
        .waitFor({ timeout: TEST_MS / 2 });
      return run;
    }

    it(
      'runs a driving analysis within 20 minutes and a walking one within 30',
      async () => {
        drivingRun = await runAnalysis('drive', 20);
        expect(await page.getByTestId('travel-note').textContent()).toMatch(
          /by car on the road network “roscommon\.osm”/,
        );
        const nearest = await page.getByTestId('ranked-nearest').allTextContents();
        expect(nearest.length).toBeGreaterThan(0);
        expect(nearest.every((text) => /min|—|none/i.test(text))).toBe(true);

        await runAnalysis('walk', 30);
        expect(await page.getByTestId('travel-note').textContent()).toMatch(/on foot on the road network/);
        // Both runs are listed, each with its minutes and how people travel.
        const history = await page.getByTestId('run-history').textContent();
        expect(history).toContain('20 min by car');
        expect(history).toContain('30 min on foot');
      },
      TEST_MS,
    );

    it(
      'sees the 10, 20 and 30-minute areas a service reaches by car, with the people inside',
      async () => {
        // The alliance's service nearest a street junction: its door-to-road walk (5 km/h) leaves time to drive.
        const services = await own.database.db
          .selectFrom('service as s')
          .innerJoin('organization as o', 'o.id', 's.organization_id')
          .innerJoin('alliance as a', 'a.id', 'o.alliance_id')
          .innerJoin('service_at_location as sal', 'sal.service_id', 's.id')
          .innerJoin('location as l', 'l.id', 'sal.location_id')
          .select([
            's.id',
            sql<number>`ST_X(l.geog::geometry)`.as('lon'),
            sql<number>`ST_Y(l.geog::geometry)`.as('lat'),
          ])
          .where('a.slug', '=', 'roscommon')
          .where('l.geog', 'is not', null)
          .execute();
        const offJunction = (service: { lon: number; lat: number }) => {
          const junction = nearestJunction(lattice, service);
          return Math.hypot(
            (junction.lon - service.lon) * Math.cos((service.lat * Math.PI) / 180),
            junction.lat - service.lat,
          );
        };
        services.sort((a, b) => offJunction(a) - offJunction(b));
        expect(services.length).toBeGreaterThan(0);
        await page.goto(`${own.origin}/map#/service/${services[0]!.id}`, { waitUntil: 'domcontentloaded' });
        await page.getByTestId('service-reach').waitFor({ timeout: WAIT_MS });
        await page.getByTestId('reach-drive').check();
        await page.getByTestId('reach-show').click();
        await page.getByTestId('reach-legend').waitFor({ timeout: WAIT_MS });
        expect(
          await page
            .locator('[data-testid="reach-band"]')
            .evaluateAll((rows) => rows.map((row) => row.dataset.minutes)),
        ).toEqual(['10', '20', '30']);
        const people = (await page.getByTestId('reach-people').allTextContents()).map((text) =>
          Number(text.replace(/[^\d]/g, '')),
        );
        // Nested areas: each holds at least the people of the one inside it, and 30 minutes by car reaches someone.
        expect(people[0]!).toBeLessThanOrEqual(people[1]!);
        expect(people[1]!).toBeLessThanOrEqual(people[2]!);
        expect(people[2]!).toBeGreaterThan(0);
        await expect
          .poll(() => page.getByTestId('map').getAttribute('data-reach-minutes'), { timeout: WAIT_MS })
          .toBe('10,20,30');
        await page.screenshot({ path: `${screenshotDir}/roscommon-reach-${mode}-1280.png` });
        await page.goto(`${own.origin}/map#/gap-analysis/roscommon`, { waitUntil: 'domcontentloaded' });
      },
      TEST_MS,
    );

    /**
     * Two actions of the plan, each a planned social-action service in a town the driving run finds far from one,
     * at the street junction nearest the town centre.
     */
    const plannedTowns = [
      { title: 'Advice desk in Moate', place: nearestJunction(lattice, { lon: -7.7206, lat: 53.3977 }) },
      { title: 'Advice desk in Boyle', place: nearestJunction(lattice, { lon: -8.3, lat: 53.9731 }) },
    ];

    it(
      'adds two planned services from the action plan to the driving run, reads how many people they bring within 20 minutes, and sees each action’s expected effect',
      async () => {
        const actionIds: string[] = [];
        for (const town of plannedTowns) {
          const created = await context.request.post(`${own.origin}/api/alliances/roscommon/actions`, {
            headers: { 'x-csrf-token': csrf },
            data: { title: town.title, plannedPlace: town.place, plannedCategory: 'social_action' },
          });
          expect(created.status(), await created.text()).toBe(201);
          actionIds.push(((await created.json()) as { id: string }).id);
        }
        await page.reload({ waitUntil: 'domcontentloaded' });
        await page
          .getByTestId('run-history')
          .getByRole('button', { name: /20 min by car/ })
          .click();
        await expect.poll(() => hashQuery(page).get('run'), { timeout: WAIT_MS }).toBe(drivingRun);
        const scenarios = page.getByTestId('gap-scenarios');
        const fromPlan = scenarios.getByTestId('scenario-add-action');
        await expect.poll(() => fromPlan.count(), { timeout: WAIT_MS }).toBe(2);
        for (const index of [0, 1]) await fromPlan.nth(index).click();
        const changes = await scenarios.getByTestId('scenario-changes').textContent();
        for (const town of plannedTowns) expect(changes).toContain(town.title);
        await scenarios.getByTestId('scenario-compare').click();
        const outcome = scenarios.getByTestId('gap-scenario').last();
        await expect.poll(() => outcome.textContent(), { timeout: TEST_MS / 2 }).toContain(plannedTowns[0]!.title);

        // The page says what the saved scenario says: the people newly within 20 minutes, per subject.
        const saved = await context.request.get(`${own.origin}/api/gap-analyses/${drivingRun}/scenarios`);
        expect(saved.status()).toBe(200);
        const body = (await saved.json()) as {
          items: {
            id: string;
            added: { planActionId?: string }[];
            outcome: { subjects: { limits: { limit: number; populationNewlyWithin: number }[] }[] };
          }[];
        };
        const scenario = body.items.at(-1)!;
        expect(scenario.added.map((point) => point.planActionId).sort()).toEqual([...actionIds].sort());
        const newly = scenario.outcome.subjects.flatMap((subject) =>
          subject.limits.map((z) => z.populationNewlyWithin),
        );
        const shown = await outcome.getByTestId('scenario-newly-within').allTextContents();
        expect(shown).toHaveLength(newly.length);
        for (const [index, people] of newly.entries()) {
          expect(shown[index]).toContain(new Intl.NumberFormat('en', { maximumFractionDigits: 0 }).format(people));
        }
        await page.screenshot({ path: `${screenshotDir}/roscommon-travel-${mode}-1280.png` });
        await page.setViewportSize(PHONE);
        expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
        await page.screenshot({ path: `${screenshotDir}/roscommon-travel-${mode}-360.png` });

        // Each action now shows that expected effect in the plan.
        const effect = (await (
          await context.request.get(`${own.origin}/api/actions/${actionIds[0]}/effect`)
        ).json()) as {
          effect: { scenario: { id: string } } | null;
        };
        expect(effect.effect?.scenario.id).toBe(scenario.id);
        await page.goto(`${own.origin}/map#/alliance/roscommon/actions`, { waitUntil: 'domcontentloaded' });
        await page.locator(`button.open[data-action-id="${actionIds[0]}"]`).click();
        const sentence = page.getByTestId('action-effect').getByTestId('action-effect-sentence');
        await sentence.waitFor({ timeout: WAIT_MS });
        expect(await sentence.textContent()).toMatch(
          /Would bring [\d,]+ more people within 20 min(utes)? of a service/,
        );
        expect(seen.pageErrors).toEqual([]);
        expect(seen.foreignRequests).toEqual([]);
      },
      TEST_MS,
    );
  },
);
