import { said } from '../messages/userError.js';
import { type OsmFormat, readOsm, RoadNetworkFileError } from './osmFiles.js';
import {
  barrierBlocks,
  blocksBike,
  blocksDrive,
  blocksWalk,
  type Directions,
  roadClasses,
  roadOfWay,
  type RoadClass,
} from './profiles.js';

/** A typed array that grows: node ids and coordinates are kept in these, never as one object per node. */
class Growing<T extends Float64Array | Int32Array | Uint8Array> {
  length = 0;
  constructor(
    public data: T,
    private readonly make: (size: number) => T,
  ) {}
  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = this.make(Math.max(1024, this.data.length * 2));
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}
const floats = () => new Growing(new Float64Array(1024), (size) => new Float64Array(size));
const ints = () => new Growing(new Int32Array(1024), (size) => new Int32Array(size));
const bytes = () => new Growing(new Uint8Array(1024), (size) => new Uint8Array(size));

// Direction bits of an edge, in the order of the road_edge columns.
export const walkForwardBit = 1;
export const walkBackwardBit = 2;
export const bikeForwardBit = 4;
export const bikeBackwardBit = 8;
export const driveForwardBit = 16;
export const driveBackwardBit = 32;

function directionBits(walk: Directions, bike: Directions, drive: Directions): number {
  return (
    (walk.forward ? walkForwardBit : 0) |
    (walk.backward ? walkBackwardBit : 0) |
    (bike.forward ? bikeForwardBit : 0) |
    (bike.backward ? bikeBackwardBit : 0) |
    (drive.forward ? driveForwardBit : 0) |
    (drive.backward ? driveBackwardBit : 0)
  );
}

/** The area kept: longitude/latitude rings (outer and holes, even-odd), with their bounds. */
export interface ClipArea {
  west: number;
  south: number;
  east: number;
  north: number;
  rings: Array<Float64Array>;
}

/** Whether a point is inside the clip area (even-odd rule over all its rings). */
export function insideClip(area: ClipArea | null, lon: number, lat: number): boolean {
  if (!area) return true;
  if (lon < area.west || lon > area.east || lat < area.south || lat > area.north) return false;
  let inside = false;
  for (const ring of area.rings) {
    for (let i = 0, j = ring.length - 2; i < ring.length; j = i, i += 2) {
      const xi = ring[i]!;
      const yi = ring[i + 1]!;
      const xj = ring[j]!;
      const yj = ring[j + 1]!;
      if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

/**
 * The length of a segment in metres on the WGS 84 ellipsoid, with the meridional and prime-vertical radii of
 * curvature at its middle latitude: within millimetres of the geodesic for the short segments of a way.
 */
export function segmentLengthM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const a = 6378137;
  const e2 = 0.00669437999014;
  const toRad = Math.PI / 180;
  const phi = ((lat1 + lat2) / 2) * toRad;
  const sin = Math.sin(phi);
  const w = Math.sqrt(1 - e2 * sin * sin);
  const meridional = (a * (1 - e2)) / (w * w * w);
  const primeVertical = a / w;
  let dLon = lon2 - lon1;
  if (dLon > 180) dLon -= 360;
  if (dLon < -180) dLon += 360;
  const dx = dLon * toRad * primeVertical * Math.cos(phi);
  const dy = (lat2 - lat1) * toRad * meridional;
  return Math.hypot(dx, dy);
}

/**
 * A road network in memory, ready to be written: nodes 1…n (index n-1 in the arrays), edges 1…m with their source
 * and target node numbers, class, direction bits, length, speed limit, ferry duration and geometry (the node
 * coordinates of `vertexLon/Lat` from `geometryStart[e]` to `geometryStart[e + 1]`).
 */
export interface RoadGraph {
  waysRead: number;
  nodeLon: Float64Array;
  nodeLat: Float64Array;
  edgeSource: Int32Array;
  edgeTarget: Int32Array;
  edgeClass: Uint8Array;
  edgeBits: Uint8Array;
  edgeLength: Float64Array;
  edgeMaxspeed: Float64Array;
  edgeDuration: Float64Array;
  geometryStart: Int32Array;
  vertexLon: Float64Array;
  vertexLat: Float64Array;
}

export function classOfEdge(graph: RoadGraph, edge: number): RoadClass {
  return roadClasses[graph.edgeClass[edge]!]!;
}

const classIndex = new Map<string, number>(roadClasses.map((name, index) => [name, index]));

/** Finds `id` in the sorted ids, starting from a guess (the files list nodes by id): its index, or -1. */
function indexOf(ids: Float64Array, id: number, from: number): number {
  let low = 0;
  let high = ids.length - 1;
  if (from < ids.length && ids[from]! <= id) {
    low = from;
    // Gallop from the guess: the next node wanted is usually close.
    let step = 1;
    while (low + step <= high && ids[low + step]! < id) {
      low += step;
      step *= 2;
    }
    high = Math.min(high, low + step);
  }
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const value = ids[middle]!;
    if (value === id) return middle;
    if (value < id) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

export interface GraphProgress {
  stage: 'reading-ways' | 'reading-nodes' | 'building';
  /** How far the whole reading is, 0…1. */
  fraction: number;
  waysRead: number;
}

/**
 * Reads an extract twice — its ways, then the nodes those ways use — and builds the network: ways split at the
 * nodes they share, at their ends, at barriers and where they leave the clip area; nodes and edges numbered densely.
 * Throws RoadNetworkFileError when the file holds no routable way, or none in the area.
 */
export async function buildRoadGraph(
  filePath: string,
  fileName: string,
  format: OsmFormat,
  clip: ClipArea | null,
  onProgress: (progress: GraphProgress) => Promise<void>,
  signal?: AbortSignal,
): Promise<RoadGraph> {
  // Pass 1: the ways that are roads.
  const wayRefs = floats();
  const wayStart = ints();
  const wayClass = bytes();
  const wayBits = bytes();
  const wayMaxspeed = floats();
  const wayDuration = floats();
  let waysRead = 0;
  let refsTooMany = false;
  await readOsm(
    filePath,
    fileName,
    format,
    {
      way(_id, refs, tags) {
        const road = roadOfWay(tags);
        if (!road || refs.length < 2) return;
        if (wayRefs.length + refs.length > 500_000_000) {
          refsTooMany = true;
          return;
        }
        waysRead++;
        wayStart.push(wayRefs.length);
        for (const ref of refs) wayRefs.push(ref);
        wayClass.push(classIndex.get(road.highway)!);
        wayBits.push(directionBits(road.walk, road.bike, road.drive));
        wayMaxspeed.push(road.maxspeedKmh ?? Number.NaN);
        wayDuration.push(road.durationS ?? Number.NaN);
      },
      progress: (fraction) => onProgress({ stage: 'reading-ways', fraction: 0.5 * fraction, waysRead }),
    },
    signal,
  );
  if (refsTooMany) throw new RoadNetworkFileError(said('road-network.too-many-ways', { fileName }));
  if (waysRead === 0) throw new RoadNetworkFileError(said('road-network.no-roads', { fileName }));
  wayStart.push(wayRefs.length);

  const refs = wayRefs.view();
  const ids = Float64Array.from(refs).sort();
  let unique = 0;
  for (let index = 0; index < ids.length; index++) {
    if (index === 0 || ids[index] !== ids[unique - 1]) ids[unique++] = ids[index]!;
  }
  const wanted = ids.slice(0, unique);
  const lon = new Float64Array(unique);
  const lat = new Float64Array(unique);
  const state = new Uint8Array(unique); // 1: read, 2: inside the clip area
  const blocks = new Uint8Array(unique);

  // Pass 2: the nodes of those ways.
  let cursor = 0;
  await readOsm(
    filePath,
    fileName,
    format,
    {
      node(id, nodeLon, nodeLat, tags) {
        const index = indexOf(wanted, id, cursor);
        if (index < 0) return;
        cursor = index + 1;
        lon[index] = nodeLon;
        lat[index] = nodeLat;
        state[index] = insideClip(clip, nodeLon, nodeLat) ? 2 : 1;
        if (tags) blocks[index] = barrierBlocks(tags);
      },
      progress: (fraction) => onProgress({ stage: 'reading-nodes', fraction: 0.5 + 0.45 * fraction, waysRead }),
    },
    signal,
  );

  // Ref indexes into `wanted`, and how many times each node is used (2 or more: a junction).
  const refIndex = new Int32Array(refs.length);
  const uses = new Uint8Array(unique);
  let guess = 0;
  for (let index = 0; index < refs.length; index++) {
    let found = indexOf(wanted, refs[index]!, guess);
    if (found < 0) found = indexOf(wanted, refs[index]!, 0);
    refIndex[index] = found;
    guess = found + 1;
    if (uses[found]! < 2) uses[found]!++;
  }

  const nodeNumber = new Int32Array(unique);
  const nodeLon = floats();
  const nodeLat = floats();
  const numberOf = (index: number) => {
    if (nodeNumber[index] === 0) {
      nodeLon.push(lon[index]!);
      nodeLat.push(lat[index]!);
      nodeNumber[index] = nodeLon.length;
    }
    return nodeNumber[index]!;
  };
  const edgeSource = ints();
  const edgeTarget = ints();
  const edgeClass = bytes();
  const edgeBits = bytes();
  const edgeLength = floats();
  const edgeMaxspeed = floats();
  const edgeDuration = floats();
  const geometryStart = ints();
  const vertexLon = floats();
  const vertexLat = floats();

  const starts = wayStart.view();
  const addEdge = (way: number, from: number, to: number) => {
    // refIndex[from…to] inside the area, consecutive duplicates already skipped by the caller's run.
    const first = refIndex[from]!;
    const last = refIndex[to]!;
    let bits = wayBits.data[way]!;
    const blocked = blocks[first]! | blocks[last]!;
    if (blocked & blocksWalk) bits &= ~(walkForwardBit | walkBackwardBit);
    if (blocked & blocksBike) bits &= ~(bikeForwardBit | bikeBackwardBit);
    if (blocked & blocksDrive) bits &= ~(driveForwardBit | driveBackwardBit);
    if (bits === 0) return;
    let length = 0;
    geometryStart.push(vertexLon.length);
    let previous = -1;
    for (let position = from; position <= to; position++) {
      const index = refIndex[position]!;
      if (index === previous) continue;
      if (previous >= 0) length += segmentLengthM(lon[previous]!, lat[previous]!, lon[index]!, lat[index]!);
      vertexLon.push(lon[index]!);
      vertexLat.push(lat[index]!);
      previous = index;
    }
    edgeSource.push(numberOf(first));
    edgeTarget.push(numberOf(last));
    edgeClass.push(wayClass.data[way]!);
    edgeBits.push(bits);
    edgeLength.push(length);
    edgeMaxspeed.push(wayMaxspeed.data[way]!);
    edgeDuration.push(wayDuration.data[way]!);
  };

  const wayCount = wayClass.length;
  for (let way = 0; way < wayCount; way++) {
    if (way % 20_000 === 0) {
      signal?.throwIfAborted();
      await onProgress({ stage: 'building', fraction: 0.95 + (0.05 * way) / wayCount, waysRead });
    }
    const start = starts[way]!;
    const end = starts[way + 1]!;
    let runStart = -1;
    for (let position = start; position < end; position++) {
      const index = refIndex[position]!;
      const inside = state[index] === 2;
      if (!inside) {
        runStart = -1;
        continue;
      }
      if (runStart < 0) {
        runStart = position;
        continue;
      }
      if (index === refIndex[position - 1]) continue;
      const lastOfRun = position === end - 1 || state[refIndex[position + 1]!] !== 2;
      const cut = lastOfRun || uses[index]! >= 2 || blocks[index]! !== 0;
      if (cut) {
        addEdge(way, runStart, position);
        runStart = position;
      }
    }
  }
  if (edgeSource.length === 0) {
    throw new RoadNetworkFileError(said('road-network.nothing-in-area', { fileName, ways: waysRead }));
  }
  geometryStart.push(vertexLon.length);
  return {
    waysRead,
    nodeLon: nodeLon.view(),
    nodeLat: nodeLat.view(),
    edgeSource: edgeSource.view(),
    edgeTarget: edgeTarget.view(),
    edgeClass: edgeClass.view(),
    edgeBits: edgeBits.view(),
    edgeLength: edgeLength.view(),
    edgeMaxspeed: edgeMaxspeed.view(),
    edgeDuration: edgeDuration.view(),
    geometryStart: geometryStart.view(),
    vertexLon: vertexLon.view(),
    vertexLat: vertexLat.view(),
  };
}
