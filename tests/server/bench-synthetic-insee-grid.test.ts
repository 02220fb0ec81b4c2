import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeSyntheticInseeGrid } from '../../scripts/bench/gap-population/syntheticInseeGrid.js';
import { openPopulationFile, type PopulationPoint } from '../../server/src/domain/population/populationFiles.js';

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'insee-grid-'));
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

/** Around Bordeaux, where the synthetic grid lists the most squares. */
const box = { west: -0.7, south: 44.78, east: -0.5, north: 44.9 };

describe('the synthetic INSEE 200 m grid of the gap-population benchmark', () => {
  const file = path.join(folder, 'grid.csv');
  const written = writeSyntheticInseeGrid(file, box, { populatedShare: 0.2, seed: 7 });

  it('is written in Filosofi’s layout, one populated 200 m square of EPSG:3035 a line, named by its south-west corner', () => {
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('idcar_200m,idcar_1km,ind');
    expect(lines.length - 1).toBe(written.cells);
    for (const line of lines.slice(1)) {
      const [id, kilometre, people] = line.split(',');
      const match = /^CRS3035RES200mN(\d+)E(\d+)$/.exec(id!);
      expect(match).not.toBeNull();
      expect(Number(match![1]) % 200).toBe(0);
      expect(Number(match![2]) % 200).toBe(0);
      expect(kilometre).toBe(
        `CRS3035RES1000mN${Math.floor(Number(match![1]) / 1000) * 1000}E${Math.floor(Number(match![2]) / 1000) * 1000}`,
      );
      expect(Number(people)).toBeGreaterThan(0);
    }
  });

  it('is the same file for the same seed', () => {
    const again = path.join(folder, 'again.csv');
    writeSyntheticInseeGrid(again, box, { populatedShare: 0.2, seed: 7 });
    expect(fs.readFileSync(again, 'utf8')).toBe(fs.readFileSync(file, 'utf8'));
  });

  it('is read by the population import as an INSEE grid of 200 m cells covering the box', async () => {
    const opened = await openPopulationFile(file, 'grid.csv');
    expect(opened.description).toMatchObject({ format: 'insee_grid', crs: 'EPSG:3035', cellSizeM: 200 });
    const points: PopulationPoint[] = [];
    let read = 0;
    for await (const batch of opened.batches(box)) {
      read += batch.read;
      points.push(...batch.points);
    }
    expect(read).toBe(written.cells);
    // The squares fill the rectangle of EPSG:3035 around the box, which is tilted there (meridians converge on the
    // projection's centre, 10° E): the corners of the rectangle fall outside the box, most of it inside.
    expect(points.length).toBeGreaterThan(0.7 * written.cells);
    expect(points.length).toBeLessThan(written.cells);
    for (const point of points) {
      expect('lon' in point && point.lon >= box.west && point.lon <= box.east).toBe(true);
    }
  });
});
