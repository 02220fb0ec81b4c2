import fs from 'node:fs/promises';
import path from 'node:path';

/** A town label of the offline base map. */
export interface BasemapTown {
  name: string;
  lat: number;
  lon: number;
}

interface TownFeature {
  properties: { name: string };
  geometry: { coordinates: [number, number] };
}

/**
 * The towns of `<dataDir>/basemap/towns.geojson`. A data folder without a base
 * map (some test fixtures) has no towns, rather than no directory.
 */
export async function readBasemapTowns(dataDir: string): Promise<BasemapTown[]> {
  let text: string;
  try {
    text = await fs.readFile(path.join(dataDir, 'basemap', 'towns.geojson'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const { features } = JSON.parse(text) as { features: TownFeature[] };
  return features.map(({ properties, geometry }) => ({
    name: properties.name,
    lon: geometry.coordinates[0],
    lat: geometry.coordinates[1],
  }));
}
