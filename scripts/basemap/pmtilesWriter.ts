import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { zxyToTileId } from 'pmtiles';

/** A tile to write: its address, and how to read its bytes as they should be stored (gzipped or not). */
export interface TileToWrite {
  z: number;
  x: number;
  y: number;
  read: () => Promise<Uint8Array>;
}

/** What the header says besides the directories: the tile set's extent and how its tiles are stored. */
export interface PmtilesDescription {
  bounds: [number, number, number, number];
  minzoom: number;
  maxzoom: number;
  tilesGzipped: boolean;
  /** The JSON metadata (name, attribution, `vector_layers`…). */
  metadata: Record<string, unknown>;
}

interface Entry {
  tileId: number;
  offset: number;
  length: number;
  runLength: number;
}

const headerLength = 127;
/** The header and root directory must fit in the first 16 KiB, which readers fetch in one request. */
const firstRequestLength = 16_384;
const gzipCompression = 2;
const noCompression = 1;
const mvtTileType = 1;

function writeVarint(bytes: number[], value: number): void {
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
}

/** A directory as the PMTiles v3 specification lays it out: the count, then each column, varint-encoded. */
function serialiseDirectory(entries: Entry[]): Buffer {
  const bytes: number[] = [];
  writeVarint(bytes, entries.length);
  let lastId = 0;
  for (const entry of entries) {
    writeVarint(bytes, entry.tileId - lastId);
    lastId = entry.tileId;
  }
  for (const entry of entries) writeVarint(bytes, entry.runLength);
  for (const entry of entries) writeVarint(bytes, entry.length);
  entries.forEach((entry, i) => {
    const previous = entries[i - 1];
    // 0 means "right after the previous entry's data", which keeps clustered archives small.
    if (previous && entry.offset === previous.offset + previous.length) writeVarint(bytes, 0);
    else writeVarint(bytes, entry.offset + 1);
  });
  return gzipSync(Buffer.from(bytes));
}

/** The root directory, and leaf directories when the root alone would not fit in the first request. */
function buildDirectories(entries: Entry[]): { root: Buffer; leaves: Buffer } {
  const root = serialiseDirectory(entries);
  if (root.length <= firstRequestLength - headerLength) return { root, leaves: Buffer.alloc(0) };
  for (let leafSize = 4096; ; leafSize *= 2) {
    const rootEntries: Entry[] = [];
    const leafParts: Buffer[] = [];
    let offset = 0;
    for (let start = 0; start < entries.length; start += leafSize) {
      const chunk = entries.slice(start, start + leafSize);
      const leaf = serialiseDirectory(chunk);
      rootEntries.push({ tileId: chunk[0]!.tileId, offset, length: leaf.length, runLength: 0 });
      leafParts.push(leaf);
      offset += leaf.length;
    }
    const leafRoot = serialiseDirectory(rootEntries);
    if (leafRoot.length <= firstRequestLength - headerLength)
      return { root: leafRoot, leaves: Buffer.concat(leafParts) };
  }
}

function writeUint64(header: Buffer, offset: number, value: number): void {
  header.writeBigUInt64LE(BigInt(value), offset);
}

/**
 * Writes a PMTiles v3 archive (https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md) of vector tiles:
 * tiles in tile id order (clustered), identical tiles stored once (the sea, empty land), consecutive identical
 * tiles as one run. Tile bytes go to a temporary file as they come, so a large tile set is never held in memory.
 */
export async function writePmtiles(
  outputFile: string,
  tiles: Iterable<TileToWrite>,
  description: PmtilesDescription,
): Promise<{ tiles: number; contents: number }> {
  // Directories list tile ids in order: the addresses are sorted first, and each tile read only when written.
  const addressed = [...tiles].map((tile) => ({ tileId: zxyToTileId(tile.z, tile.x, tile.y), tile }));
  addressed.sort((a, b) => a.tileId - b.tileId);

  const workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'passerelle-pmtiles-'));
  const dataFile = path.join(workDir, 'tiles.bin');
  const data = await fs.open(dataFile, 'w');
  const entries: Entry[] = [];
  const offsetsByHash = new Map<string, { offset: number; length: number }>();
  let dataLength = 0;
  try {
    for (const { tileId, tile } of addressed) {
      const bytes = await tile.read();
      const hash = createHash('sha256').update(bytes).digest('hex');
      let stored = offsetsByHash.get(hash);
      const last = entries.at(-1);
      if (stored && last && last.offset === stored.offset && last.tileId + last.runLength === tileId) {
        last.runLength += 1;
        continue;
      }
      if (!stored) {
        stored = { offset: dataLength, length: bytes.length };
        await data.write(bytes, 0, bytes.length, dataLength);
        dataLength += bytes.length;
        offsetsByHash.set(hash, stored);
      }
      entries.push({ tileId, offset: stored.offset, length: stored.length, runLength: 1 });
    }
  } finally {
    await data.close();
  }

  const { root, leaves } = buildDirectories(entries);
  const metadata = gzipSync(Buffer.from(JSON.stringify(description.metadata), 'utf8'));
  const rootOffset = headerLength;
  const metadataOffset = rootOffset + root.length;
  const leavesOffset = metadataOffset + metadata.length;
  const tileDataOffset = leavesOffset + leaves.length;

  const header = Buffer.alloc(headerLength);
  header.write('PMTiles', 0, 'ascii');
  header.writeUInt8(3, 7);
  writeUint64(header, 8, rootOffset);
  writeUint64(header, 16, root.length);
  writeUint64(header, 24, metadataOffset);
  writeUint64(header, 32, metadata.length);
  writeUint64(header, 40, leavesOffset);
  writeUint64(header, 48, leaves.length);
  writeUint64(header, 56, tileDataOffset);
  writeUint64(header, 64, dataLength);
  writeUint64(header, 72, addressed.length);
  writeUint64(header, 80, entries.length);
  writeUint64(header, 88, offsetsByHash.size);
  header.writeUInt8(1, 96);
  header.writeUInt8(gzipCompression, 97);
  header.writeUInt8(description.tilesGzipped ? gzipCompression : noCompression, 98);
  header.writeUInt8(mvtTileType, 99);
  header.writeUInt8(description.minzoom, 100);
  header.writeUInt8(description.maxzoom, 101);
  const [west, south, east, north] = description.bounds;
  header.writeInt32LE(Math.round(west * 1e7), 102);
  header.writeInt32LE(Math.round(south * 1e7), 106);
  header.writeInt32LE(Math.round(east * 1e7), 110);
  header.writeInt32LE(Math.round(north * 1e7), 114);
  header.writeUInt8(Math.min(description.maxzoom, Math.max(description.minzoom, 12)), 118);
  header.writeInt32LE(Math.round(((west + east) / 2) * 1e7), 119);
  header.writeInt32LE(Math.round(((south + north) / 2) * 1e7), 123);

  const output = await fs.open(outputFile, 'w');
  try {
    await output.write(Buffer.concat([header, root, metadata, leaves]));
    const tileData = await fs.open(dataFile);
    for await (const chunk of tileData.createReadStream()) await output.write(chunk as Buffer);
  } finally {
    await output.close();
    await fs.rm(workDir, { recursive: true, force: true });
  }
  return { tiles: addressed.length, contents: offsetsByHash.size };
}
