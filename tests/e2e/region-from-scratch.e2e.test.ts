import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as turf from '@turf/turf';
import { cellToBoundary, latLngToCell } from 'h3-js';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseMode } from '../../server/src/db/database.js';
import { hashPassword } from '../../server/src/domain/accounts/passwords.js';
import { vincentyInverseMetres } from '../server/geodesy.js';
import { type Wgs84PopulationGrid, wgs84PopulationGeoTiff } from '../support/geoTiffWriter.js';
import { clockwiseSquare, polygonShapefile, prjFiles, zipLayer } from '../support/shapefileWriter.js';
import { type OwnApp, startOwnApp } from '../support/e2eServer.js';
import { buildTownStreetTiles, streetToolsInstalled } from '../support/streetTiles.js';
import { databaseModes } from '../support/testDatabase.js';
import {
  DESKTOP,
  PHONE,
  WAIT_MS,
  launchBrowser,
  missingPrerequisite,
  screenshotDir,
  skipLoudly,
  watchPage,
  type PageWatch,
} from './browserSession.js';
import { openNewPlaceForm } from './mapPage.js';
import { hashOf, hashQuery, mapIdle, sidewaysOverflow } from './pageChecks.js';
import { signInThroughPage } from './signIn.js';

const TEST_MS = 60_000;
/** Opening an embedded database and making the street tiles take a while on a busy shared machine. */
const SETUP_MS = 120_000;

const missing = missingPrerequisite(
  streetToolsInstalled ? null : 'osmium-tool and tilemaker are not installed (apt-get install osmium-tool tilemaker)',
);
const skip = skipLoudly(missing, 'REGION FROM SCRATCH BROWSER TESTS');

/** The coordinator who starts the alliance: the only account of a fresh database. */
const coordinator = {
  email: 'coordinatrice@poitiers.example',
  password: 'poitiers password 1',
  name: 'Claire Coordinatrice',
};

/** Poitiers as GeoNames (id 2986495) places it, the point the town search takes the map to. */
const poitiers = { lat: 46.58261, lon: 0.34348 };

/**
 * The region, as the département's GIS office would send it: a 25 km square in Lambert-93 (EPSG:2154), x 485,000 …
 * 510,000 m, y 6,600,000 … 6,625,000 m, around Poitiers (496,343 m, 6,612,315 m). Its corners in WGS84, from PROJ 9.1.1
 * (`cs2cs -f %.9f EPSG:2154 EPSG:4326`), as [lon, lat]:
 */
const boundaryCorners = [
  [0.197673445, 46.465643188],
  [0.186066168, 46.69060998],
  [0.513037221, 46.698164393],
  [0.523297657, 46.473166778],
];

/**
 * A WorldPop-like population grid (EPSG:4326, 32-bit floats, GDAL_NODATA -99999), 4 columns × 3 rows of 0.01°
 * cells from 0.327° E, 46.609° N: wholly inside the region, over the town's streets. 1,395 people in 6 cells.
 */
const grid: Wgs84PopulationGrid = {
  west: 0.327,
  north: 46.609,
  cellDeg: 0.01,
  rows: [
    [120, 0, -99999, 340],
    [0, 560, 75, 0],
    [210, 0, 0, 90],
  ],
};

/** The catchment asked for: 2 km, as a person types it in the form. */
const thresholdM = 2000;

interface HandArea {
  population: number;
  /** The population-weighted mean of its cells' centres, in degrees. */
  lat: number;
  lon: number;
}

/**
 * The populated areas of the H3 grid at resolution 7, computed by hand from the raster: each cell's people go to the
 * hexagon holding the cell's centre (h3-js, checked with turf against the hexagon's outline), and an area is centred
 * on the population-weighted mean of its cells' centres.
 */
function handAreas(): Map<string, HandArea> {
  const sums = new Map<string, { population: number; lat: number; lon: number }>();
  grid.rows.forEach((row, r) =>
    row.forEach((people, c) => {
      if (!(people > 0)) return;
      const lon = grid.west + grid.cellDeg * (c + 0.5);
      const lat = grid.north - grid.cellDeg * (r + 0.5);
      const code = latLngToCell(lat, lon, 7);
      const outline = cellToBoundary(code, true);
      const hexagon = turf.polygon([[...outline, outline[0]!]]);
      expect(turf.booleanPointInPolygon([lon, lat], hexagon)).toBe(true);
      // Far from the hexagon's edges, so that PostGIS's straight edges and H3's agree on the side.
      expect(
        turf.pointToLineDistance([lon, lat], turf.polygonToLine(hexagon) as never, { units: 'meters' }),
      ).toBeGreaterThan(150);
      const sum = sums.get(code) ?? { population: 0, lat: 0, lon: 0 };
      sum.population += people;
      sum.lat += lat * people;
      sum.lon += lon * people;
      sums.set(code, sum);
    }),
  );
  return new Map(
    [...sums].map(([code, sum]) => [
      code,
      { population: sum.population, lat: sum.lat / sum.population, lon: sum.lon / sum.population },
    ]),
  );
}

/** The street tiles and the apps' uploaded files, for both database modes. */
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'passerelle-scratch-region-'));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

/** The street map of a small town whose residential street runs through Poitiers, east and west: made once. */
let tilesFile: string | null = null;
function streetTiles(): string {
  tilesFile ??= buildTownStreetTiles(path.join(workDir, 'tiles'), poitiers);
  return tilesFile;
}

describe.skipIf(skip).each(databaseModes())('a region created from scratch (%s database)', (mode: DatabaseMode) => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let seen: PageWatch;
  let ownApp: OwnApp | undefined;
  let origin = '';
  const slug = 'grand-poitiers';
  const basemapRequests: string[] = [];
  let organizationId = '';
  let servicePoint = { lat: NaN, lon: NaN };

  beforeAll(async () => {
    browser = await launchBrowser(missing);
    const tiles = streetTiles();
    ownApp = await startOwnApp(
      { BASEMAP_TILES: tiles, PASSERELLE_IMPORT_DIR: path.join(workDir, `imports-${mode}`) },
      {
        mode,
        // The coordinator is the database's only account: no alliance, no demo data.
        prepare: async (db) => {
          await db
            .insertInto('account')
            .values({
              email: coordinator.email,
              display_name: coordinator.name,
              password_hash: await hashPassword(coordinator.password),
            })
            .execute();
        },
      },
    );
    origin = ownApp.origin;
    context = await browser.newContext({ viewport: DESKTOP });
    page = await context.newPage();
    seen = watchPage(page, origin);
    page.on('requestfinished', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/api/basemap/')) basemapRequests.push(url.pathname);
    });
  }, SETUP_MS);

  afterAll(async () => {
    await browser?.close();
    await ownApp?.stop();
  });

  /** A screenshot of `shown` at desktop width and at 360 px, where nothing may stick out sideways. */
  async function screenshotsAtBothWidths(name: string, shown: Locator): Promise<void> {
    await shown.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(screenshotDir, `scratch-${name}-${mode}-1280.png`) });
    await page.setViewportSize(PHONE);
    try {
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
      await shown.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(screenshotDir, `scratch-${name}-${mode}-360.png`) });
    } finally {
      await page.setViewportSize(DESKTOP);
    }
  }

  it(
    'creates the alliance with its boundary from a zipped Shapefile in Lambert-93, stored where PROJ puts it',
    async () => {
      await page.goto(`${origin}/map#/sign-in`, { waitUntil: 'domcontentloaded' });
      await signInThroughPage(page, coordinator);
      await page.locator('[data-testid="account-menu-button"]').click({ timeout: WAIT_MS });
      await page.getByRole('link', { name: 'Create an alliance' }).click();
      await expect.poll(() => hashOf(page), { timeout: WAIT_MS }).toBe('#/new-alliance');

      await page.getByLabel('Name', { exact: true }).fill('Grand Poitiers');
      expect(await page.getByLabel('Address name').inputValue()).toBe(slug);
      expect(await page.getByLabel('Time zone').inputValue()).toBe('Europe/Paris');
      const files = polygonShapefile(
        [{ name: 'NOM', type: 'C', length: 30 }],
        [{ rings: [clockwiseSquare(485_000, 6_600_000, 25_000)], attributes: { NOM: 'Grand Poitiers' } }],
      );
      await page.locator('[data-testid="boundary-file"]').setInputFiles({
        name: 'grand-poitiers.zip',
        mimeType: 'application/zip',
        buffer: zipLayer('grand-poitiers', { ...files, prj: prjFiles.lambert93 }),
      });
      await expect
        .poll(() => page.locator('[data-testid="boundary-status"]').textContent(), { timeout: WAIT_MS })
        .toContain('“grand-poitiers.zip” is read');
      expect(await page.locator('[data-testid="boundary-error"]').count()).toBe(0);
      await mapIdle(page, 'boundary-map');
      await screenshotsAtBothWidths('boundary', page.locator('[data-testid="boundary-map"]'));

      await page.getByRole('button', { name: 'Create the alliance' }).click();
      await expect.poll(() => hashOf(page), { timeout: WAIT_MS }).toBe(`#/alliance/${slug}/members`);

      const alliance = (await (await page.request.get(`${origin}/api/alliances/${slug}`)).json()) as {
        boundary: { type: string; coordinates: number[][][][] };
      };
      expect(alliance.boundary.type).toBe('MultiPolygon');
      expect(alliance.boundary.coordinates).toHaveLength(1);
      const ring = alliance.boundary.coordinates[0]![0]!;
      expect(ring).toHaveLength(5);
      for (const [lon, lat] of boundaryCorners) {
        const stored = ring.find(([x, y]) => Math.abs(x! - lon!) < 1e-6 && Math.abs(y! - lat!) < 1e-6);
        expect(stored, `a corner at ${lon}, ${lat}`).toBeDefined();
      }
    },
    TEST_MS,
  );

  it(
    'adds an organisation in the register, then a service placed on the street map after finding Poitiers',
    async () => {
      await page.locator('[data-testid="tab-register"]').click();
      await page.locator('[data-testid="add-stakeholder"]').click({ timeout: WAIT_MS });
      const form = page.locator('[data-testid="stakeholder-form"]');
      await form.getByRole('group', { name: 'Organisation' }).getByLabel('Name').fill('Maison des Solidarités');
      await form.locator('[data-testid="save-stakeholder"]').click();
      const row = page.locator('[data-testid="stakeholder-row"]', { hasText: 'Maison des Solidarités' });
      await row.waitFor({ timeout: WAIT_MS });
      organizationId = (await row.getAttribute('data-id')) ?? '';
      expect(organizationId).toMatch(/^[0-9a-f-]{36}$/);

      const addForm = await openNewPlaceForm(page, organizationId, slug, origin);
      await addForm.getByLabel('Town', { exact: true }).fill('Poitiers');
      await addForm.getByLabel('Name', { exact: true }).fill('Accueil de jour');
      await addForm.getByLabel('Category').selectOption('social_action');
      await addForm.getByRole('button', { name: 'Add, then place its pin' }).click();

      const placeForm = page.locator('[data-testid="place-form"]');
      await placeForm.waitFor({ timeout: WAIT_MS });
      const search = placeForm.locator('[data-testid="town-search"]');
      await search.getByLabel('Town name').fill('Poit');
      await search.getByRole('button', { name: 'Find' }).click();
      const candidate = search.locator('[data-testid="town-candidate"]').first();
      await candidate.waitFor({ timeout: WAIT_MS });
      expect(await candidate.textContent()).toMatch(/^Poitiers FR · 85,960 inhabitants/);
      await candidate.click();
      await expect
        .poll(() => search.locator('[data-testid="town-search-status"]').textContent(), { timeout: WAIT_MS })
        .toBe('The map shows Poitiers: click where the service is.');

      // The map has arrived when its centre is Poitiers: "Put it at the map's centre" says where that is.
      const pinStatus = placeForm.locator('[data-testid="pin-status"]');
      await expect
        .poll(
          async () => {
            await placeForm.getByRole('button', { name: "Put it at the map's centre" }).click();
            return pinStatus.textContent();
          },
          { timeout: WAIT_MS },
        )
        .toMatch(/New place: 46\.58261\d, 0\.34348\d\./);

      // The residential street runs east from there, along the parallel: the pin goes 60 px further along it.
      await placeForm.getByRole('button', { name: 'Click the map again' }).click();
      const map = page.locator('[data-testid="map"]');
      const box = (await map.boundingBox())!;
      await map.click({ position: { x: Math.round(box.width / 2) + 60, y: Math.round(box.height / 2) } });
      await expect
        .poll(() => pinStatus.textContent(), { timeout: WAIT_MS })
        .toMatch(/New place: 46\.5826\d+, 0\.34[4-5]/);
      expect(basemapRequests.some((p) => /^\/api\/basemap\/tiles\/1[4-5]\/\d+\/\d+\.mvt$/.test(p))).toBe(true);
      await screenshotsAtBothWidths('pin', map);

      await placeForm.getByRole('button', { name: 'Save the place' }).click();
      await page.locator('[data-testid="service-edit-notice"]').waitFor({ timeout: WAIT_MS });

      const organization = (await (await page.request.get(`${origin}/api/organizations/${organizationId}`)).json()) as {
        locations: { lat: number | null; lon: number | null }[];
      };
      expect(organization.locations).toHaveLength(1);
      const [place] = organization.locations;
      servicePoint = { lat: place!.lat!, lon: place!.lon! };
      // On the street: within a few metres of its parallel, east of Poitiers' point and before the street's end.
      expect(Math.abs(servicePoint.lat - poitiers.lat)).toBeLessThan(0.00005);
      expect(servicePoint.lon).toBeGreaterThan(poitiers.lon + 0.0005);
      expect(servicePoint.lon).toBeLessThan(poitiers.lon + 0.005);
    },
    TEST_MS,
  );

  it(
    'imports the population grid from the gap analysis page and follows it to the end',
    async () => {
      await page.goto(`${origin}/map#/gap-analysis/${slug}`, { waitUntil: 'domcontentloaded' });
      const form = page.locator('[data-testid="population-form"]');
      await form.waitFor({ timeout: WAIT_MS });
      await form.getByLabel('Population file').setInputFiles({
        name: 'poitiers-population.tif',
        mimeType: 'image/tiff',
        buffer: wgs84PopulationGeoTiff(grid),
      });
      const preview = form.locator('[data-testid="population-preview"]');
      await expect.poll(() => preview.textContent(), { timeout: WAIT_MS }).toMatch(/GeoTIFF grid.*EPSG:4326/);
      expect(await preview.textContent()).toMatch(/Cells with people\s*6\s*Population\s*1,395/);

      await form.getByRole('button', { name: 'Import this population' }).click();
      await expect
        .poll(() => form.locator('[data-testid="population-active"]').textContent(), { timeout: WAIT_MS })
        .toMatch(
          /Runs count the people of “poitiers-population\.tif” \(GeoTIFF grid, EPSG:4326\): 1,395 inhabitants in 6\s+cells/,
        );
      await screenshotsAtBothWidths('population', form.locator('[data-testid="population-active"]'));
    },
    TEST_MS,
  );

  it(
    'runs a 2SFCA analysis on an H3 grid whose populated areas and figures are those computed by hand',
    async () => {
      await page.getByLabel('Areas', { exact: true }).selectOption('h3:7');
      await page.getByLabel('Distance threshold (km)').fill(String(thresholdM / 1000));
      await page.getByLabel('2SFCA, all-or-nothing catchment').check();
      await page.locator('[data-testid="run-analysis"]').click();
      await expect
        .poll(() => /^[0-9a-f-]{36}$/.test(hashQuery(page).get('run') ?? ''), { timeout: WAIT_MS })
        .toBe(true);
      const runId = hashQuery(page).get('run')!;

      const areas = handAreas();
      const distances = new Map([...areas].map(([code, area]) => [code, vincentyInverseMetres(area, servicePoint)]));
      // No area stands so near the threshold that a metre would change the side.
      for (const distance of distances.values()) expect(Math.abs(distance - thresholdM)).toBeGreaterThan(100);
      const within = [...areas.keys()].filter((code) => distances.get(code)! <= thresholdM);
      expect(within.length).toBeGreaterThan(0);
      expect(within.length).toBeLessThan(areas.size);
      const total = [...areas.values()].reduce((sum, area) => sum + area.population, 0);
      expect(total).toBe(1395);
      // 2SFCA (Luo & Wang 2003) with one service of supply 1: R = 1 / Σ P within d0, A = R for the areas within.
      const ratio = 1 / within.reduce((sum, code) => sum + areas.get(code)!.population, 0);

      const note = page.locator('[data-testid="population-note"]');
      await expect
        .poll(() => note.textContent(), { timeout: TEST_MS - 15_000 })
        .toMatch(
          new RegExp(
            `Population surface “poitiers-population\\.tif” [\\s\\S]*~1,400 inhabitants counted, in ${areas.size} of \\d+ areas`,
          ),
        );
      await page.locator('[data-testid="ranked-area"]').first().waitFor({ timeout: WAIT_MS });
      const rows = await page.locator('[data-testid="ranked-area"]').allTextContents();
      const beyond = [...areas.keys()].filter((code) => !within.includes(code));
      for (const code of beyond) {
        const people = areas.get(code)!.population;
        expect(rows.some((row) => row.includes(`No social action service within 2 km for ~${people}`))).toBe(true);
      }
      await screenshotsAtBothWidths('gap-run', page.locator('[data-testid="ranked-area"]').first());

      const answer = await page.request.get(
        `${origin}/api/gap-analyses/${runId}/results.geojson?subject=social_action`,
      );
      expect(answer.status()).toBe(200);
      const results = (await answer.json()) as { features: { properties: Record<string, unknown> }[] };
      const populated = results.features
        .map((feature) => feature.properties)
        .filter((properties) => (properties.population as number) > 0);
      expect(new Set(populated.map((properties) => properties.code))).toEqual(new Set(areas.keys()));
      const serviceArea = latLngToCell(servicePoint.lat, servicePoint.lon, 7);
      for (const properties of populated) {
        const code = properties.code as string;
        const area = areas.get(code)!;
        const inReach = within.includes(code);
        expect(properties.population, code).toBeCloseTo(area.population, 6);
        expect(properties['social_action.nearestDistanceM'], code).toBeCloseTo(distances.get(code)!, 0);
        expect(properties['social_action.countWithin'], code).toBe(inReach ? 1 : 0);
        expect(properties['social_action.score2sfca'], code).toBeCloseTo(inReach ? ratio * 10_000 : 0, 6);
        expect(properties['social_action.supplyPer10k'], code).toBeCloseTo(
          code === serviceArea ? 10_000 / area.population : 0,
          6,
        );
      }
    },
    TEST_MS,
  );

  it('raised no page or console error and requested nothing from another site', () => {
    expect(seen.pageErrors).toEqual([]);
    expect(seen.consoleErrors).toEqual([]);
    expect(seen.foreignRequests).toEqual([]);
  });
});
