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

/** A service's name and description in another language. */
export interface DemoTranslation {
  name?: string;
  description?: string;
}

/** What the newcomers' finder shows beyond the guide's fields; every field may be unknown. */
export interface DemoServiceDetails {
  /** OpenStreetMap `opening_hours` syntax, read in the alliance's time zone. */
  openingHours?: string;
  /** true: free of charge; false: there is a cost; absent: not known. */
  free?: boolean;
  feesDescription?: string;
  eligibilityDescription?: string;
  phone?: string;
  /** Keyed by language code. */
  translations?: Record<string, DemoTranslation>;
}

export interface DemoService extends DemoServiceDetails {
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
    address?: string;
    postalCode?: string;
    /** Shelters, women's services: the finder shows the town only. */
    hideAddress?: boolean;
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

/**
 * Service details kept apart from the generated organizations.json (which
 * scripts/extract-data.ts rewrites), by organisation name, then service name.
 */
export type DemoServiceDetailsFile = Record<string, Record<string, DemoServiceDetails>>;

export const serviceDetailsFileName = 'demo-service-details.json';

async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await fs.readFile(file, 'utf8')) as T;
}

async function readOptionalJson<T>(file: string): Promise<T | undefined> {
  try {
    return await readJson<T>(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Adds each service's details to it. Details naming a service that does not
 * exist are refused: after a rename in the source they would silently vanish.
 */
export function mergeServiceDetails(
  organizations: DemoOrganization[],
  details: DemoServiceDetailsFile,
): DemoOrganization[] {
  for (const [organizationName, services] of Object.entries(details)) {
    for (const serviceName of Object.keys(services)) {
      const known = organizations.some(
        (organization) =>
          organization.name === organizationName &&
          organization.services.some((service) => service.name === serviceName),
      );
      if (!known) {
        throw new Error(
          `${serviceDetailsFileName} describes "${serviceName}" of "${organizationName}", which is not in organizations.json.`,
        );
      }
    }
  }
  return organizations.map((organization) => ({
    ...organization,
    services: organization.services.map((service) => ({
      ...service,
      ...details[organization.name]?.[service.name],
    })),
  }));
}

/** Reads the demo alliances, their organisations (with their services' details) and region boundaries from `data/`. */
export async function readDemoData(dataDir: string): Promise<DemoData> {
  const alliances = await readJson<DemoAlliance[]>(path.join(dataDir, 'alliances.json'));
  const organizations = mergeServiceDetails(
    await readJson<DemoOrganization[]>(path.join(dataDir, 'organizations.json')),
    (await readOptionalJson<DemoServiceDetailsFile>(path.join(dataDir, serviceDetailsFileName))) ?? {},
  );
  const regions = new Map<string, RegionFeature>();
  for (const code of new Set(alliances.flatMap((alliance) => alliance.regions))) {
    regions.set(code, await readJson<RegionFeature>(path.join(dataDir, 'regions', `${code}.geojson`)));
  }
  return { alliances, organizations, regions };
}
