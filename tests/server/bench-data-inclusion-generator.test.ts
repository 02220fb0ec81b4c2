import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import formatsPlugin from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataInclusion } from '../../scripts/bench/import/generateDataInclusion.js';
import { projectRoot } from '../../server/src/config.js';
import { checkOpeningHours } from '../../server/src/domain/schedules/openIntervals.js';

const schemaDir = path.join(projectRoot, 'tests/fixtures/standards/data-inclusion-schema/schemas/v1');
const readSchema = (name: string) => JSON.parse(fs.readFileSync(path.join(schemaDir, name), 'utf8'));

const ajv = new Ajv({ strict: false, allErrors: true });
formatsPlugin.default(ajv);
const validStructure = ajv.compile(readSchema('structure.json'));
const validService = ajv.compile(readSchema('service.json'));

type DataInclusionRecord = Record<string, unknown> & { id: string };

/** The Luhn check as INSEE applies it to SIREN and SIRET: from the right, every second digit doubled. */
function passesLuhn(digits: string): boolean {
  let sum = 0;
  [...digits].reverse().forEach((character, position) => {
    const digit = Number(character) * (position % 2 === 1 ? 2 : 1);
    sum += digit > 9 ? digit - 9 : digit;
  });
  return sum % 10 === 0;
}

/** Gironde's extent, a little wider than the département (44.19–45.58° N, 1.27° W–0.32° E). */
const insideGironde = (lat: number, lon: number) => lat > 44.1 && lat < 45.7 && lon > -1.35 && lon < 0.4;

describe('the synthetic data·inclusion extract for the import benchmark', () => {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'passerelle-data-inclusion-'));
  let structures: DataInclusionRecord[];
  let services: DataInclusionRecord[];
  let summary: Awaited<ReturnType<typeof generateDataInclusion>>;

  beforeAll(async () => {
    summary = await generateDataInclusion({ outDir: path.join(outDir, 'a'), services: 500, seed: 7 });
    structures = JSON.parse(fs.readFileSync(summary.structuresFile, 'utf8')).structures;
    services = JSON.parse(fs.readFileSync(summary.servicesFile, 'utf8')).services;
  });
  afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

  it('writes the number of services asked for, about one structure for four', () => {
    expect(services).toHaveLength(500);
    expect(summary).toMatchObject({ services: 500, structures: structures.length });
    expect(structures.length).toBeGreaterThan(500 / 6);
    expect(structures.length).toBeLessThan(500 / 2.5);
  });

  it('writes every structure and every service valid against the data·inclusion schema v1', () => {
    const refused: { id: string; errors: unknown }[] = [];
    for (const { id, ...fields } of structures) {
      if (!validStructure({ id, ...fields })) refused.push({ id, errors: validStructure.errors });
    }
    for (const { id, ...fields } of services) {
      if (!validService({ id, ...fields })) refused.push({ id, errors: validService.errors });
    }
    expect(refused).toEqual([]);
  });

  it('gives unique ids, and every service a structure of the extract from the same source', () => {
    const structureSources = new Map(structures.map((record) => [record.id, record.source]));
    expect(structureSources.size).toBe(structures.length);
    expect(new Set(services.map((record) => record.id)).size).toBe(services.length);
    const orphans = services.filter((record) => structureSources.get(record.structure_id as string) !== record.source);
    expect(orphans).toEqual([]);
  });

  it('gives SIRETs whose SIREN and whole number pass the Luhn check', () => {
    const sirets = structures.map((record) => record.siret).filter((siret): siret is string => siret !== null);
    expect(sirets.length).toBeGreaterThan(structures.length / 2);
    const invalid = sirets.filter((siret) => !passesLuhn(siret) || !passesLuhn(siret.slice(0, 9)));
    expect(invalid).toEqual([]);
  });

  it('places records in Gironde, with some of them without coordinates', () => {
    const records = [...structures, ...services];
    const located = records.filter((record) => record.latitude !== null);
    expect(located.length).toBeGreaterThan(records.length / 2);
    expect(located.length).toBeLessThan(records.length);
    const outside = located.filter((record) => !insideGironde(record.latitude as number, record.longitude as number));
    expect(outside).toEqual([]);
    expect(located.every((record) => (record.code_insee as string).startsWith('33'))).toBe(true);
  });

  it('writes service descriptions of 200 to 1500 characters and opening hours in OpenStreetMap syntax', () => {
    const lengths = services.map((record) => (record.description as string).length);
    expect(Math.min(...lengths)).toBeGreaterThanOrEqual(200);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(1500);
    const hours = [...structures, ...services]
      .map((record) => record.horaires_accueil)
      .filter((value): value is string => value !== null);
    expect(hours.length).toBeGreaterThan(0);
    expect(hours.filter((value) => checkOpeningHours(value) !== null)).toEqual([]);
  });

  it('lists "tous-publics" only alone, as the schema asks', () => {
    const mixed = services.filter((record) => {
      const list = (record.publics as string[] | null) ?? [];
      return list.includes('tous-publics') && list.length > 1;
    });
    expect(mixed).toEqual([]);
  });

  it('writes the same files for the same seed, and other files for another seed', async () => {
    const again = await generateDataInclusion({ outDir: path.join(outDir, 'b'), services: 500, seed: 7 });
    const other = await generateDataInclusion({ outDir: path.join(outDir, 'c'), services: 500, seed: 8 });
    const read = (file: string) => fs.readFileSync(file, 'utf8');
    expect(read(again.servicesFile)).toBe(read(summary.servicesFile));
    expect(read(again.structuresFile)).toBe(read(summary.structuresFile));
    expect(read(other.servicesFile)).not.toBe(read(summary.servicesFile));
  });
});
