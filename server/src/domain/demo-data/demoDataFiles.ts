import fs from 'node:fs/promises';
import path from 'node:path';
import type { AreaScope, CategoryId, LocationPrecision } from '../../db/schema.js';

export interface DemoAlliance {
  slug: string;
  name: string;
  country: string;
  regions: string[];
  languages: string[];
  timezone: string;
  description: string | null;
  centerTown?: string;
}

export interface DemoService {
  name: string;
  category: CategoryId;
  description: string | null;
  topics: string[];
  audiences: string[];
  languages: string[];
  serviceArea: AreaScope;
}

export interface DemoOrganization {
  alliance: string;
  name: string;
  description: string | null;
  website: string | null;
  language: string;
  location: {
    town: string;
    country: string;
    lat: number;
    lon: number;
    precision: LocationPrecision;
    note: string | null;
  };
  services: DemoService[];
}

export interface RegionFeature {
  type: 'Feature';
  properties: { code: string; name: string };
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown };
}

export interface DemoData {
  alliances: DemoAlliance[];
  organizations: DemoOrganization[];
  regions: Map<string, RegionFeature>;
}

async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await fs.readFile(file, 'utf8')) as T;
}

/** Reads the demo alliances, their organisations and region boundaries from `data/`. */
export async function readDemoData(dataDir: string): Promise<DemoData> {
  const alliances = await readJson<DemoAlliance[]>(path.join(dataDir, 'alliances.json'));
  const organizations = await readJson<DemoOrganization[]>(path.join(dataDir, 'organizations.json'));
  const regions = new Map<string, RegionFeature>();
  for (const code of new Set(alliances.flatMap((alliance) => alliance.regions))) {
    regions.set(code, await readJson<RegionFeature>(path.join(dataDir, 'regions', `${code}.geojson`)));
  }
  return { alliances, organizations, regions };
}
