import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import { promisify } from 'node:util';
import { inflate } from 'node:zlib';
import { PbfReader } from 'pbf';
import { SaxesParser } from 'saxes';
import { type CodedMessage, said, UserError } from '../messages/userError.js';
import type { Tags } from './profiles.js';

const inflateAsync = promisify(inflate);

/** An extract that cannot be read, said to the person (the import fails with it). */
export class RoadNetworkFileError extends UserError {
  constructor(message: CodedMessage) {
    super(400, message);
  }
}

export type OsmFormat = 'pbf' | 'xml';

/** What a pass over the file is told: nodes (with their tags when they have some) and ways. */
export interface OsmVisitor {
  node?(id: number, lon: number, lat: number, tags: Tags | null): void;
  way?(id: number, refs: readonly number[], tags: Tags): void;
  /** Called now and then with how much of the file is read (0…1); the pass waits for it. */
  progress?(fraction: number): Promise<void> | void;
}

/**
 * Tells an OSM PBF from OSM XML by the first bytes: a PBF starts with the length of a BlobHeader whose type is
 * "OSMHeader"; XML with `<?xml` or `<osm` (after a byte order mark and spaces). Anything else is refused.
 */
export async function osmFormatOf(filePath: string, fileName: string): Promise<OsmFormat> {
  const handle = await fs.open(filePath, 'r');
  try {
    const head = Buffer.alloc(512);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const bytes = head.subarray(0, bytesRead);
    if (bytes.length === 0) throw new RoadNetworkFileError(said('road-network.empty-file', { fileName }));
    if (bytes.length >= 4) {
      const length = bytes.readUInt32BE(0);
      if (length > 0 && length < 64 * 1024 && bytes.includes(Buffer.from('OSMHeader'))) return 'pbf';
    }
    const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
    const bzip2 = bytes.subarray(0, 3).toString('latin1') === 'BZh';
    if (gzip || bzip2) throw new RoadNetworkFileError(said('road-network.compressed', { fileName }));
    if (bytes.includes(0)) throw new RoadNetworkFileError(said('road-network.not-osm', { fileName }));
    const text = bytes
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimStart();
    if (text.startsWith('<?xml') || text.startsWith('<osm')) return 'xml';
    throw new RoadNetworkFileError(said('road-network.not-osm', { fileName }));
  } finally {
    await handle.close();
  }
}

/** Reads the whole file once, in order, telling the visitor about its nodes and ways; relations are skipped. */
export async function readOsm(
  filePath: string,
  fileName: string,
  format: OsmFormat,
  visitor: OsmVisitor,
  signal?: AbortSignal,
): Promise<void> {
  if (format === 'pbf') await readPbf(filePath, fileName, visitor, signal);
  else await readXml(filePath, fileName, visitor, signal);
}

// ---------------------------------------------------------------------------------------------------------------
// PBF (https://wiki.openstreetmap.org/wiki/PBF_Format): blobs read one at a time from the file, inflated off the
// main thread, decoded with `pbf`.

const maxHeaderBytes = 64 * 1024;
const maxBlobBytes = 32 * 1024 * 1024;
const supportedFeatures = new Set(['OsmSchema-V0.6', 'DenseNodes', 'HistoricalInformation']);

async function readPbf(filePath: string, fileName: string, visitor: OsmVisitor, signal?: AbortSignal): Promise<void> {
  const corrupt = () => new RoadNetworkFileError(said('road-network.corrupt-pbf', { fileName }));
  const handle = await fs.open(filePath, 'r');
  try {
    const size = (await handle.stat()).size;
    let position = 0;
    let sawHeader = false;
    const readExactly = async (length: number): Promise<Buffer> => {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, position);
      if (bytesRead < length) throw corrupt();
      position += length;
      return buffer;
    };
    while (position < size) {
      signal?.throwIfAborted();
      const headerLength = (await readExactly(4)).readUInt32BE(0);
      if (headerLength === 0 || headerLength > maxHeaderBytes) throw corrupt();
      const header = decodeBlobHeader(await readExactly(headerLength), corrupt);
      if (header.dataSize <= 0 || header.dataSize > maxBlobBytes) throw corrupt();
      const blob = await readExactly(header.dataSize);
      const data = await blobData(blob, fileName, corrupt);
      if (header.type === 'OSMHeader') {
        sawHeader = true;
        checkHeaderBlock(data, fileName, corrupt);
      } else if (header.type === 'OSMData') {
        if (!sawHeader) throw corrupt();
        decodePrimitiveBlock(data, visitor, corrupt);
      }
      await visitor.progress?.(position / size);
    }
    if (!sawHeader) throw corrupt();
  } finally {
    await handle.close();
  }
}

function guarded<T>(work: () => T, corrupt: () => Error): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof RoadNetworkFileError) throw error;
    throw corrupt();
  }
}

function decodeBlobHeader(buffer: Buffer, corrupt: () => Error): { type: string; dataSize: number } {
  return guarded(() => {
    const result = { type: '', dataSize: 0 };
    new PbfReader(buffer).readFields((tag, value, pbf) => {
      if (tag === 1) value.type = pbf.readString();
      else if (tag === 3) value.dataSize = pbf.readVarint();
    }, result);
    return result;
  }, corrupt);
}

async function blobData(blob: Buffer, fileName: string, corrupt: () => Error): Promise<Uint8Array> {
  const parts = guarded(() => {
    const result: { raw?: Uint8Array; zlib?: Uint8Array; rawSize: number; other: boolean } = {
      rawSize: 0,
      other: false,
    };
    new PbfReader(blob).readFields((tag, value, pbf) => {
      if (tag === 1) value.raw = pbf.readBytes();
      else if (tag === 2) value.rawSize = pbf.readVarint();
      else if (tag === 3) value.zlib = pbf.readBytes();
      else if (tag === 4 || tag === 6 || tag === 7) {
        value.other = true;
        pbf.skip(pbf.type);
      }
    }, result);
    return result;
  }, corrupt);
  if (parts.raw) return parts.raw;
  if (parts.zlib) {
    if (parts.rawSize > maxBlobBytes) throw corrupt();
    try {
      return await inflateAsync(parts.zlib);
    } catch {
      throw corrupt();
    }
  }
  if (parts.other) throw new RoadNetworkFileError(said('road-network.pbf-compression', { fileName }));
  throw corrupt();
}

function checkHeaderBlock(data: Uint8Array, fileName: string, corrupt: () => Error): void {
  const required = guarded(() => {
    const features: string[] = [];
    new PbfReader(data).readFields((tag, value, pbf) => {
      if (tag === 4) value.push(pbf.readString());
    }, features);
    return features;
  }, corrupt);
  const unknown = required.filter((feature) => !supportedFeatures.has(feature));
  if (unknown.length > 0) {
    throw new RoadNetworkFileError(said('road-network.pbf-features', { fileName, features: unknown.join(', ') }));
  }
}

interface BlockContext {
  strings: string[];
  granularity: number;
  latOffset: number;
  lonOffset: number;
  groups: Array<[number, number]>;
}

function decodePrimitiveBlock(data: Uint8Array, visitor: OsmVisitor, corrupt: () => Error): void {
  guarded(() => {
    const pbf = new PbfReader(data);
    const block: BlockContext = { strings: [], granularity: 100, latOffset: 0, lonOffset: 0, groups: [] };
    // The string table and the offsets may come after the groups: note where the groups are, read them after.
    pbf.readFields((tag, value, reader) => {
      if (tag === 1) {
        const end = reader.readVarint() + reader.pos;
        while (reader.pos < end) {
          const field = reader.readVarint();
          if (field >> 3 === 1) value.strings.push(reader.readString());
          else reader.skip(field & 7);
        }
      } else if (tag === 2) {
        const length = reader.readVarint();
        value.groups.push([reader.pos, reader.pos + length]);
        reader.pos += length;
      } else if (tag === 17) value.granularity = reader.readVarint();
      else if (tag === 19) value.latOffset = reader.readVarint(true);
      else if (tag === 20) value.lonOffset = reader.readVarint(true);
    }, block);
    for (const [start, end] of block.groups) {
      pbf.pos = start;
      pbf.readFields(
        (tag, value, reader) => {
          if (tag === 1 && visitor.node) readNode(reader, value, visitor);
          else if (tag === 2 && visitor.node) readDenseNodes(reader, value, visitor);
          else if (tag === 3 && visitor.way) readWay(reader, value, visitor);
          else reader.skip(reader.type);
        },
        block,
        end,
      );
    }
  }, corrupt);
}

function tagsOf(keys: readonly number[], values: readonly number[], strings: readonly string[]): Map<string, string> {
  const tags = new Map<string, string>();
  for (let index = 0; index < keys.length; index++) {
    const key = strings[keys[index]!];
    const value = strings[values[index]!];
    if (key === undefined || value === undefined) throw new Error('string index out of range');
    tags.set(key, value);
  }
  return tags;
}

function readNode(pbf: PbfReader, block: BlockContext, visitor: OsmVisitor): void {
  const end = pbf.readVarint() + pbf.pos;
  let id = 0;
  let lat = 0;
  let lon = 0;
  const keys: number[] = [];
  const values: number[] = [];
  pbf.readFields(
    (tag, _value, reader) => {
      if (tag === 1) id = reader.readSVarint();
      else if (tag === 2) reader.readPackedVarint(keys);
      else if (tag === 3) reader.readPackedVarint(values);
      else if (tag === 8) lat = reader.readSVarint();
      else if (tag === 9) lon = reader.readSVarint();
      else reader.skip(reader.type);
    },
    null,
    end,
  );
  visitor.node!(
    id,
    1e-9 * (block.lonOffset + block.granularity * lon),
    1e-9 * (block.latOffset + block.granularity * lat),
    keys.length > 0 ? tagsOf(keys, values, block.strings) : null,
  );
}

function readDenseNodes(pbf: PbfReader, block: BlockContext, visitor: OsmVisitor): void {
  const end = pbf.readVarint() + pbf.pos;
  const ids: number[] = [];
  const lats: number[] = [];
  const lons: number[] = [];
  const keysVals: number[] = [];
  pbf.readFields(
    (tag, _value, reader) => {
      if (tag === 1) reader.readPackedSVarint(ids);
      else if (tag === 8) reader.readPackedSVarint(lats);
      else if (tag === 9) reader.readPackedSVarint(lons);
      else if (tag === 10) reader.readPackedVarint(keysVals);
      else reader.skip(reader.type);
    },
    null,
    end,
  );
  if (lats.length !== ids.length || lons.length !== ids.length) throw new Error('dense nodes of unequal lengths');
  let id = 0;
  let lat = 0;
  let lon = 0;
  let kv = 0;
  for (let index = 0; index < ids.length; index++) {
    id += ids[index]!;
    lat += lats[index]!;
    lon += lons[index]!;
    let tags: Map<string, string> | null = null;
    if (keysVals.length > 0) {
      while (kv < keysVals.length && keysVals[kv] !== 0) {
        const key = block.strings[keysVals[kv]!];
        const value = block.strings[keysVals[kv + 1]!];
        if (key === undefined || value === undefined) throw new Error('string index out of range');
        (tags ??= new Map()).set(key, value);
        kv += 2;
      }
      kv++;
    }
    visitor.node!(
      id,
      1e-9 * (block.lonOffset + block.granularity * lon),
      1e-9 * (block.latOffset + block.granularity * lat),
      tags,
    );
  }
}

function readWay(pbf: PbfReader, block: BlockContext, visitor: OsmVisitor): void {
  const end = pbf.readVarint() + pbf.pos;
  let id = 0;
  const keys: number[] = [];
  const values: number[] = [];
  const deltas: number[] = [];
  pbf.readFields(
    (tag, _value, reader) => {
      if (tag === 1) id = reader.readVarint();
      else if (tag === 2) reader.readPackedVarint(keys);
      else if (tag === 3) reader.readPackedVarint(values);
      else if (tag === 8) reader.readPackedSVarint(deltas);
      else reader.skip(reader.type);
    },
    null,
    end,
  );
  let ref = 0;
  const refs = deltas.map((delta) => (ref += delta));
  visitor.way!(id, refs, tagsOf(keys, values, block.strings));
}

// ---------------------------------------------------------------------------------------------------------------
// XML (https://wiki.openstreetmap.org/wiki/OSM_XML): streamed through saxes.

async function readXml(filePath: string, fileName: string, visitor: OsmVisitor, signal?: AbortSignal): Promise<void> {
  const size = (await fs.stat(filePath)).size;
  const parser = new SaxesParser({ xmlns: false });
  let root: string | undefined;
  let current: {
    kind: 'node' | 'way';
    id: number;
    lon: number;
    lat: number;
    refs: number[];
    tags: Map<string, string>;
  } | null = null;
  let failure: Error | undefined;
  const notOsm = () => new RoadNetworkFileError(said('road-network.not-osm', { fileName }));
  const badNumber = (what: string) =>
    new RoadNetworkFileError(said('road-network.bad-xml', { fileName, line: parser.line, problem: what }));
  const numberOf = (value: string | undefined, what: string) => {
    const number = value === undefined ? Number.NaN : Number(value);
    if (!Number.isFinite(number)) throw badNumber(what);
    return number;
  };
  parser.on('opentag', (tag) => {
    if (failure) return;
    try {
      const attributes = tag.attributes as Record<string, string>;
      if (root === undefined) {
        root = tag.name;
        if (tag.name !== 'osm') throw notOsm();
        return;
      }
      if (tag.name === 'node') {
        current = {
          kind: 'node',
          id: numberOf(attributes.id, 'node id'),
          lon: numberOf(attributes.lon, 'node lon'),
          lat: numberOf(attributes.lat, 'node lat'),
          refs: [],
          tags: new Map(),
        };
      } else if (tag.name === 'way') {
        current = { kind: 'way', id: numberOf(attributes.id, 'way id'), lon: 0, lat: 0, refs: [], tags: new Map() };
      } else if (tag.name === 'nd' && current?.kind === 'way') {
        current.refs.push(numberOf(attributes.ref, 'nd ref'));
      } else if (tag.name === 'tag' && current && attributes.k !== undefined) {
        current.tags.set(attributes.k, attributes.v ?? '');
      }
    } catch (error) {
      failure = error as Error;
    }
  });
  parser.on('closetag', (tag) => {
    if (failure || !current) return;
    if (tag.name === 'node' && current.kind === 'node') {
      visitor.node?.(current.id, current.lon, current.lat, current.tags.size > 0 ? current.tags : null);
      current = null;
    } else if (tag.name === 'way' && current.kind === 'way') {
      visitor.way?.(current.id, current.refs, current.tags);
      current = null;
    }
  });
  parser.on('error', (error) => {
    failure ??=
      root === undefined
        ? notOsm()
        : new RoadNetworkFileError(
            said('road-network.bad-xml', { fileName, line: parser.line, problem: error.message.split('\n')[0]! }),
          );
  });
  let read = 0;
  const stream = createReadStream(filePath, { encoding: 'utf8', highWaterMark: 256 * 1024 });
  try {
    for await (const chunk of stream) {
      signal?.throwIfAborted();
      const text = chunk as string;
      read += Buffer.byteLength(text);
      if (text.includes('\u0000')) throw new RoadNetworkFileError(said('road-network.not-osm', { fileName }));
      parser.write(text);
      if (failure) throw failure;
      await visitor.progress?.(Math.min(1, read / size));
    }
    parser.close();
    if (failure) throw failure;
    if (root !== 'osm') throw notOsm();
  } finally {
    stream.destroy();
  }
}
