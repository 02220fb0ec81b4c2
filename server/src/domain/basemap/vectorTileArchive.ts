import fs from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Compression, PMTiles, SharedPromiseCache, TileType, type Source } from 'pmtiles';

/** What a TileJSON says of a tile set, read from the file's own metadata. */
export interface TileSetInfo {
  name: string;
  attribution: string | undefined;
  bounds: [number, number, number, number];
  minzoom: number;
  maxzoom: number;
  vectorLayers: { id: string; fields: Record<string, string>; minzoom?: number; maxzoom?: number }[];
}

/** One tile as stored: Mapbox Vector Tile bytes, gzipped when `gzipped` says so. */
export interface StoredTile {
  data: Buffer;
  gzipped: boolean;
}

/** A street base map's tiles, read from the file or folder `BASEMAP_TILES` names. */
export interface VectorTileArchive {
  info: TileSetInfo;
  tile(z: number, x: number, y: number): Promise<StoredTile | undefined>;
  close(): Promise<void>;
}

const gzipMagic = (data: Uint8Array) => data.length > 2 && data[0] === 0x1f && data[1] === 0x8b;

/** Reads byte ranges of a local file, so that a PMTiles file of gigabytes is never held in memory. */
class FileRangeSource implements Source {
  constructor(
    private readonly file: fs.FileHandle,
    private readonly key: string,
  ) {}

  getKey(): string {
    return this.key;
  }

  async getBytes(offset: number, length: number) {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await this.file.read(buffer, 0, length, offset);
    const bytes = buffer.subarray(0, bytesRead);
    return { data: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer };
  }
}

function decompressed(data: ArrayBuffer, compression: Compression): ArrayBuffer {
  if (compression === Compression.None || compression === Compression.Unknown) return data;
  if (compression === Compression.Gzip) {
    const plain = gunzipSync(new Uint8Array(data));
    return plain.buffer.slice(plain.byteOffset, plain.byteOffset + plain.byteLength) as ArrayBuffer;
  }
  throw new Error('The PMTiles file uses a compression other than gzip, which Passerelle cannot read.');
}

function layersOf(metadata: Record<string, unknown>): TileSetInfo['vectorLayers'] {
  let layers = metadata.vector_layers;
  // MBTiles-style metadata keeps the layers inside a `json` text.
  if (layers === undefined && typeof metadata.json === 'string') {
    layers = (JSON.parse(metadata.json) as { vector_layers?: unknown }).vector_layers;
  }
  return Array.isArray(layers) ? (layers as TileSetInfo['vectorLayers']) : [];
}

async function openPmtiles(file: string): Promise<VectorTileArchive> {
  const handle = await fs.open(file, 'r');
  try {
    // Directories are decompressed by the cache; tiles are kept as stored (the identity below) and sent gzipped.
    const archive = new PMTiles(
      new FileRangeSource(handle, file),
      new SharedPromiseCache(200, true, async (data, compression) => decompressed(data, compression)),
      async (data) => data,
    );
    const header = await archive.getHeader();
    if (header.tileType !== TileType.Mvt) {
      throw new Error(`${file} holds no vector tiles (PMTiles tile type ${header.tileType}).`);
    }
    const metadataBytes = await handle.read(
      Buffer.alloc(header.jsonMetadataLength),
      0,
      header.jsonMetadataLength,
      header.jsonMetadataOffset,
    );
    const metadataText = Buffer.from(
      decompressed(metadataBytes.buffer.buffer as ArrayBuffer, header.internalCompression),
    );
    const metadata = JSON.parse(metadataText.toString('utf8')) as Record<string, unknown>;
    return {
      info: {
        name: typeof metadata.name === 'string' ? metadata.name : path.basename(file),
        attribution: typeof metadata.attribution === 'string' ? metadata.attribution : undefined,
        bounds: [header.minLon, header.minLat, header.maxLon, header.maxLat],
        minzoom: header.minZoom,
        maxzoom: header.maxZoom,
        vectorLayers: layersOf(metadata),
      },
      async tile(z, x, y) {
        const found = await archive.getZxy(z, x, y);
        if (!found) return undefined;
        const data = Buffer.from(found.data);
        return { data, gzipped: header.tileCompression === Compression.Gzip || gzipMagic(data) };
      },
      close: () => handle.close(),
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** A folder of `z/x/y.pbf` files with a `metadata.json`, as tilemaker writes when its output is a folder. */
async function openFolder(folder: string): Promise<VectorTileArchive> {
  const metadata = JSON.parse(await fs.readFile(path.join(folder, 'metadata.json'), 'utf8')) as Record<string, unknown>;
  const bounds = Array.isArray(metadata.bounds) ? metadata.bounds.map(Number) : [-180, -85.0511, 180, 85.0511];
  return {
    info: {
      name: typeof metadata.name === 'string' ? metadata.name : path.basename(folder),
      attribution: typeof metadata.attribution === 'string' ? metadata.attribution : undefined,
      bounds: bounds as TileSetInfo['bounds'],
      minzoom: Number(metadata.minzoom ?? 0),
      maxzoom: Number(metadata.maxzoom ?? 14),
      vectorLayers: layersOf(metadata),
    },
    async tile(z, x, y) {
      let data: Buffer;
      try {
        data = await fs.readFile(path.join(folder, String(z), String(x), `${y}.pbf`));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
      return { data, gzipped: gzipMagic(data) };
    },
    close: async () => {},
  };
}

/**
 * Opens the street tiles a deployment provides: a PMTiles v3 file, or a folder of `z/x/y.pbf` tiles with a
 * `metadata.json`. Throws a sentence naming the file when it is neither.
 */
export async function openVectorTileArchive(location: string): Promise<VectorTileArchive> {
  const stat = await fs.stat(location).catch(() => {
    throw new Error(`BASEMAP_TILES names ${location}, which does not exist.`);
  });
  if (stat.isDirectory()) return openFolder(location);
  return openPmtiles(location);
}
