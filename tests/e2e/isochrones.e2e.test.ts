import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertRoadNetwork } from '../../scripts/bench/travel-time/syntheticRoads.js';
import type { DatabaseMode } from '../../server/src/db/database.js';
import type { Database } from '../../server/src/db/schema.js';
import { hashPassword } from '../../server/src/domain/accounts/passwords.js';
import { readDemoData } from '../../server/src/domain/demo-data/demoDataFiles.js';
import { loadDemoData } from '../../server/src/domain/demo-data/loadDemoData.js';
import { at, writeHandNetwork, writeRoadNodes } from '../support/handRoadNetwork.js';
import { type OwnApp, startOwnApp } from '../support/e2eServer.js';
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
import { sidewaysOverflow } from './pageChecks.js';

const TEST_MS = 120_000;
const SETUP_MS = 120_000;

const missing = missingPrerequisite();
const skip = skipLoudly(missing, 'ISOCHRONES ON THE MAP BROWSER TESTS');

/** A member (not an editor) of Bordeaux, which has a road network, and an editor of Roscommon, which has none. */
const person = { email: 'reach@isochrones.example', password: 'reach from here 1', name: 'Rea Cher' };

/**
 * The hand network (tests/support/handRoadNetwork.ts: every street 60 s on foot and by car) with a road going east
 * from its corner node 3: nodes 12, 13 and 14, 0.008° apart, each section 12 minutes on foot and 1 minute by car.
 * On foot from node 5 (the centre), node 3 is 2 minutes away, 12 is 14, 13 is 26 and 14 is 38; a section is
 * 0.008° ≈ 630 m, so the part of it left unreached at 10, 20 and 30 minutes (a third, a half, two thirds) keeps the
 * next node more than the isochrones' 100 m from what is reached.
 */
const eastRoad = [
  { id: 15, source: 3, target: 12 },
  { id: 16, source: 12, target: 13 },
  { id: 17, source: 13, target: 14 },
];
const eastNode = (node: 12 | 13 | 14) => ({ lon: at(3).lon + (node - 11) * 0.008, lat: at(3).lat });
const pointOf = (node: number) => (node >= 12 ? eastNode(node as 12 | 13 | 14) : at(node));

/** The people: 120 at the service, 1,300 at node 12, 25,000 at 13 and 400,000 at 14. */
const people = [
  { node: 5, population: 120 },
  { node: 12, population: 1300 },
  { node: 13, population: 25_000 },
  { node: 14, population: 400_000 },
];
/** On foot, counted by hand from the times above: node 12 from 20 minutes, node 13 from 30, node 14 never. */
const walkingPeople = [120, 1420, 26_420];
/** By car every node is within 5 minutes. */
const drivingPeople = [426_420, 426_420, 426_420];

async function writeEastRoad(db: Kysely<Database>, networkId: string): Promise<void> {
  await writeRoadNodes(
    db,
    networkId,
    ([12, 13, 14] as const).map((node) => ({ id: node, ...eastNode(node) })),
  );
  await db
    .insertInto('road_edge')
    .values(
      eastRoad.map((edge) => {
        const a = pointOf(edge.source);
        const b = pointOf(edge.target);
        return {
          network_id: networkId,
          id: edge.id,
          source: edge.source,
          target: edge.target,
          highway: 'secondary',
          length_m: 630,
          maxspeed_kmh: null,
          duration_s: null,
          walk_forward: true,
          walk_backward: true,
          bike_forward: true,
          bike_backward: true,
          drive_forward: true,
          drive_backward: true,
          walk_cost: 720,
          walk_reverse_cost: 720,
          bike_cost: 720,
          bike_reverse_cost: 720,
          drive_cost: 60,
          drive_reverse_cost: 60,
          geom: sql<string>`ST_SetSRID(ST_MakeLine(ST_MakePoint(${a.lon}, ${a.lat}), ST_MakePoint(${b.lon}, ${b.lat})), 4326)`,
        };
      }),
    )
    .execute();
}

/** A service of the alliance with a place of its own, by the order of their names (the demo data is fixed). */
async function servicesOf(db: Kysely<Database>, slug: string) {
  return db
    .selectFrom('service as s')
    .innerJoin('organization as o', 'o.id', 's.organization_id')
    .innerJoin('alliance as a', 'a.id', 'o.alliance_id')
    .innerJoin('service_at_location as sl', 'sl.service_id', 's.id')
    .select(['s.id as serviceId', 's.name', 'sl.location_id as locationId'])
    .where('a.slug', '=', slug)
    .where('s.status', '=', 'active')
    .orderBy('s.name')
    .execute();
}

const englishNumber = new Intl.NumberFormat('en');

/**
 * "Reach from here" in a service's detail on the workspace map, on an application of its own (a road network and a
 * population are written into its database): the walking areas of a service drawn on the map with the people
 * inside, as the API and a hand count say; another mode asked again; a place off the network; an alliance without
 * a network, with the way to import one; visitors shown nothing.
 */
describe.skipIf(skip).each(databaseModes())(
  'isochrones of a service on the map (%s database)',
  (mode: DatabaseMode) => {
    let own: OwnApp;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let seen: PageWatch;
    /** The Bordeaux service moved onto the network, another left in Bordeaux (off it), and one of Roscommon. */
    let onNetwork: string;
    let offNetwork: string;
    let withoutNetwork: string;

    const shot = (name: string) => page.screenshot({ path: path.join(screenshotDir, name) });

    async function openService(id: string, query = ''): Promise<void> {
      await page.goto(`${own.origin}/map${query}#/service/${id}`, { waitUntil: 'domcontentloaded' });
      await page.getByTestId('service-reach').waitFor({ timeout: WAIT_MS });
    }

    const peopleShown = () => page.getByTestId('reach-people').allTextContents();

    /** Waits until the map draws the three areas and has come to rest over them (MapView's User Timing marks). */
    async function reachOnMap(): Promise<void> {
      await expect
        .poll(() => page.getByTestId('map').getAttribute('data-reach-minutes'), { timeout: WAIT_MS })
        .toBe('10,20,30');
      await expect
        .poll(
          () =>
            page.evaluate(() => {
              const drawn = performance.getEntriesByName('passerelle:reach-drawn').at(-1)?.startTime ?? Infinity;
              const idle = performance.getEntriesByName('passerelle:map-idle').at(-1)?.startTime ?? -Infinity;
              return idle > drawn;
            }),
          { timeout: WAIT_MS },
        )
        .toBe(true);
    }

    beforeAll(async () => {
      own = await startOwnApp(
        {},
        {
          mode,
          prepare: async (db, config) => {
            await loadDemoData(db, await readDemoData(config.dataDir));
            const alliances = await db.selectFrom('alliance').select(['id', 'slug']).execute();
            const allianceId = (slug: string) => alliances.find((alliance) => alliance.slug === slug)!.id;
            const account = await db
              .insertInto('account')
              .values({
                email: person.email,
                display_name: person.name,
                password_hash: await hashPassword(person.password),
              })
              .returning('id')
              .executeTakeFirstOrThrow();
            await db
              .insertInto('alliance_member')
              .values([
                { alliance_id: allianceId('bordeaux'), account_id: account.id, role: 'member' },
                { alliance_id: allianceId('roscommon'), account_id: account.id, role: 'editor' },
              ])
              .execute();

            const bordeaux = await servicesOf(db, 'bordeaux');
            const moved = bordeaux[0]!;
            const stays = bordeaux.find((service) => service.locationId !== moved.locationId)!;
            onNetwork = moved.serviceId;
            offNetwork = stays.serviceId;
            withoutNetwork = (await servicesOf(db, 'roscommon'))[0]!.serviceId;
            await db
              .updateTable('location')
              .set({
                geog: sql<string>`ST_SetSRID(ST_MakePoint(${at(5).lon}, ${at(5).lat}), 4326)::geography`,
                precision: 'exact',
                hide_address: false,
                needs_place: false,
              })
              .where('id', '=', moved.locationId)
              .execute();

            const networkId = await insertRoadNetwork(db, allianceId('bordeaux'), { sourceName: 'hand-grid.osm.pbf' });
            await writeHandNetwork(db, networkId);
            await writeEastRoad(db, networkId);
            const surface = await db
              .insertInto('population_surface')
              .values({
                alliance_id: allianceId('bordeaux'),
                source_name: 'people.tif',
                format: 'geotiff',
                crs: 'EPSG:4326',
                margin_m: 0,
                status: 'active',
              } as never)
              .returning('id')
              .executeTakeFirstOrThrow();
            for (const cell of people) {
              const point = pointOf(cell.node);
              await sql`insert into population_cell (surface_id, geog, population) values (${surface.id},
              ST_SetSRID(ST_MakePoint(${point.lon}, ${point.lat}), 4326)::geography, ${cell.population})`.execute(db);
            }
          },
        },
      );
      browser = await launchBrowser(missing);
      context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const login = await context.request.post(`${own.origin}/api/auth/login`, {
        data: { email: person.email, password: person.password },
      });
      expect(login.status()).toBe(200);
      page = await context.newPage();
      seen = watchPage(page, own.origin);
    }, SETUP_MS);

    afterAll(async () => {
      await browser?.close();
      await own?.stop();
    }, SETUP_MS);

    it(
      'draws the 10, 20 and 30-minute walking areas of a service with the people inside, and takes them off on closing',
      async () => {
        await openService(onNetwork);
        expect(await page.getByTestId('reach-walk').isChecked()).toBe(true);
        await page.getByTestId('reach-show').click();
        await page.getByTestId('reach-legend').waitFor({ timeout: WAIT_MS });

        const api = await context.request.get(
          `${own.origin}/api/alliances/bordeaux/isochrones?lon=${at(5).lon}&lat=${at(5).lat}&profile=walk`,
        );
        expect(api.status()).toBe(200);
        const answer = (await api.json()) as { features: { properties: { minutes: number; population: number } }[] };
        const fromApi = answer.features.map((feature) => feature.properties.population);
        expect(fromApi).toEqual(walkingPeople);
        expect(
          await page
            .locator('[data-testid="reach-band"]')
            .evaluateAll((rows) => rows.map((row) => row.dataset.minutes)),
        ).toEqual(['10', '20', '30']);
        expect(await peopleShown()).toEqual(fromApi.map((count) => `${englishNumber.format(count)} people`));
        // The three areas are on the map, under its markers.
        await reachOnMap();
        expect(await page.getByTestId('service-reach').textContent()).toContain('hand-grid.osm.pbf');
        // The people counted are those of the alliance's population grid, named.
        expect((await api.json()).populationSource).toEqual({ kind: 'surface', name: 'people.tif' });
        expect(await page.getByTestId('reach-population-source').textContent()).toContain('people.tif');
        await shot('isochrones-walk-1280.png');

        // Another mode asks again: by car the whole network is within 10 minutes.
        await page.getByTestId('reach-drive').check();
        await expect
          .poll(peopleShown, { timeout: WAIT_MS })
          .toEqual(drivingPeople.map((count) => `${englishNumber.format(count)} people`));

        await page.getByTestId('service-detail-back').click();
        await expect
          .poll(() => page.getByTestId('map').getAttribute('data-reach-minutes'), { timeout: WAIT_MS })
          .toBeNull();
        expect(seen.pageErrors).toEqual([]);
      },
      TEST_MS,
    );

    it(
      'says when the service’s place is off the network, and draws nothing',
      async () => {
        await openService(offNetwork);
        await page.getByTestId('reach-show').click();
        const notice = page.getByTestId('reach-off-network');
        await notice.waitFor({ timeout: WAIT_MS });
        expect(await notice.textContent()).toContain('more than 1 km from any street');
        expect(await page.getByTestId('reach-legend').count()).toBe(0);
        expect(await page.getByTestId('map').getAttribute('data-reach-minutes')).toBeNull();
      },
      TEST_MS,
    );

    it(
      'explains that an alliance without a road network has no travel times, and leads its editor to import one',
      async () => {
        await openService(withoutNetwork);
        await page.getByTestId('reach-show').click();
        const notice = page.getByTestId('reach-no-network');
        await notice.waitFor({ timeout: WAIT_MS });
        expect(await notice.textContent()).toContain('No road network has been imported');
        // Nothing is on the map to hide.
        expect(await page.getByTestId('reach-hide').count()).toBe(0);
        await notice.scrollIntoViewIfNeeded();
        await shot('isochrones-no-network.png');
        const link = page.getByTestId('reach-import-link');
        expect(await link.getAttribute('href')).toBe('#/gap-analysis/roscommon?section=road-network');
        await link.click();
        const section = page.getByTestId('road-network');
        await section.waitFor({ timeout: WAIT_MS });
        // The section is brought into view, and the link's part of the address is spent.
        await expect
          .poll(
            () =>
              section.evaluate((element) => {
                const box = element.getBoundingClientRect();
                return box.top >= 0 && box.top < window.innerHeight;
              }),
            { timeout: WAIT_MS },
          )
          .toBe(true);
        await expect.poll(() => new URL(page.url()).hash.includes('section='), { timeout: WAIT_MS }).toBe(false);
        expect(seen.pageErrors).toEqual([]);
        // The only failed request is the 404 that says there is no network.
        expect(seen.consoleErrors.filter((message) => !message.includes('status of 404'))).toEqual([]);
      },
      TEST_MS,
    );

    it(
      'fits a phone and reads right to left in Arabic',
      async () => {
        await page.setViewportSize(PHONE);
        await openService(onNetwork);
        await page.getByTestId('reach-show').click();
        await page.getByTestId('reach-legend').waitFor({ timeout: WAIT_MS });
        await reachOnMap();
        await page.getByTestId('service-reach').scrollIntoViewIfNeeded();
        expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
        await shot('isochrones-walk-360.png');

        await page.setViewportSize({ width: 1280, height: 900 });
        await openService(onNetwork, '?lang=ar');
        expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
        await page.getByTestId('reach-show').click();
        await page.getByTestId('reach-legend').waitFor({ timeout: WAIT_MS });
        const arabic = new Intl.NumberFormat('ar');
        const shown = await peopleShown();
        expect(shown[2]).toContain(arabic.format(walkingPeople[2]!));
        await reachOnMap();
        await shot('isochrones-walk-ar.png');
        expect(seen.pageErrors).toEqual([]);
      },
      TEST_MS,
    );

    it(
      'shows visitors no reach, which is for the alliance’s members',
      async () => {
        const visitor = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        const visitorPage = await visitor.newPage();
        await visitorPage.goto(`${own.origin}/map#/service/${onNetwork}`, { waitUntil: 'domcontentloaded' });
        await visitorPage.locator('[data-testid="service-detail"] h2').waitFor({ timeout: WAIT_MS });
        expect(await visitorPage.getByTestId('service-reach').count()).toBe(0);
        await visitor.close();
      },
      TEST_MS,
    );
  },
);
