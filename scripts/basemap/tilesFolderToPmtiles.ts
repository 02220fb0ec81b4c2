import fs from 'node:fs/promises';
import path from 'node:path';
import { writePmtiles, type TileToWrite } from './pmtilesWriter.js';

const wholeNumber = /^\d+$/;

/** Every `z/x/y.pbf` of a folder written by tilemaker, found without reading any tile. */
async function tilesOfFolder(folder: string): Promise<TileToWrite[]> {
  const tiles: TileToWrite[] = [];
  for (const z of await fs.readdir(folder)) {
    if (!wholeNumber.test(z)) continue;
    for (const x of await fs.readdir(path.join(folder, z))) {
      if (!wholeNumber.test(x)) continue;
      for (const name of await fs.readdir(path.join(folder, z, x))) {
        const y = /^(\d+)\.pbf$/.exec(name)?.[1];
        if (y === undefined) continue;
        const file = path.join(folder, z, x, name);
        tiles.push({ z: Number(z), x: Number(x), y: Number(y), read: () => fs.readFile(file) });
      }
    }
  }
  return tiles;
}

/**
 * Converts tilemaker's folder output (`z/x/y.pbf` plus `metadata.json`) into one PMTiles v3 file.
 * tilemaker gzips the tiles unless its config says `"compress": "none"`; the archive stores them as they are.
 */
export async function tilesFolderToPmtiles(folder: string, outputFile: string) {
  const metadata = JSON.parse(await fs.readFile(path.join(folder, 'metadata.json'), 'utf8')) as Record<string, unknown>;
  const tiles = await tilesOfFolder(folder);
  if (tiles.length === 0) throw new Error(`${folder} holds no z/x/y.pbf tile.`);
  const first = await tiles[0]!.read();
  const bounds = Array.isArray(metadata.bounds) ? metadata.bounds.map(Number) : [-180, -85.0511, 180, 85.0511];
  const zooms = tiles.map((tile) => tile.z);
  return writePmtiles(outputFile, tiles, {
    bounds: bounds as [number, number, number, number],
    minzoom: Math.min(...zooms),
    maxzoom: Math.max(...zooms),
    tilesGzipped: first[0] === 0x1f && first[1] === 0x8b,
    metadata: {
      name: metadata.name,
      description: metadata.description,
      version: metadata.version,
      attribution: metadata.attribution ?? '© OpenStreetMap contributors',
      type: 'baselayer',
      format: 'pbf',
      vector_layers: metadata.vector_layers,
    },
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [folder, outputFile] = process.argv.slice(2);
  if (!folder || !outputFile) {
    console.error('Usage: npx tsx scripts/basemap/tilesFolderToPmtiles.ts <tilemaker folder> <output.pmtiles>');
    process.exit(2);
  }
  const { tiles, contents } = await tilesFolderToPmtiles(folder, outputFile);
  console.log(`Wrote ${outputFile}: ${tiles} tiles, ${contents} distinct.`);
}
