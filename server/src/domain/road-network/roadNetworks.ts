import { setImmediate as nextTurn } from 'node:timers/promises';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { Database, RoadNetworkTable } from '../../db/schema.js';
import { BatchSizer, type Slicing } from '../gap-analysis/batchSizer.js';
import { type CodedMessage, codedFrom, type MessageParams, said, UserError } from '../messages/userError.js';
import { type OsmFormat, RoadNetworkFileError } from './osmFiles.js';
import { costsOf, type EdgeForCosts, type Speeds, speedsFrom, defaultSpeeds } from './profiles.js';
import {
  bikeBackwardBit,
  bikeForwardBit,
  buildRoadGraph,
  type ClipArea,
  classOfEdge,
  driveBackwardBit,
  driveForwardBit,
  type RoadGraph,
  walkBackwardBit,
  walkForwardBit,
} from './roadGraph.js';

/**
 * How far beyond the alliance's boundary roads are kept: 30 km, the distance a 30-minute analysis reaches at the
 * speeds of country roads (60 km/h) — the longest of the catchments analyses use (Luo & Qi's 0–10–20–30 minutes).
 * A trip that leaves the region and comes back is kept within that margin too; the population margin is the same.
 */
export const roadNetworkMarginM = 30_000;

/** The stages of an import, by code: a page says each in its reader's language (`roadNetwork.stage.<code>`). */
export type RoadNetworkStageCode = 'waiting' | 'reading-ways' | 'reading-nodes' | 'building' | 'writing' | 'done';

/** A road network as the API shows it. */
export interface RoadNetworkSummary {
  id: string;
  allianceId: string;
  sourceName: string;
  status: Selectable<RoadNetworkTable>['status'];
  progress: number;
  stageCode: RoadNetworkStageCode | null;
  stageParams: MessageParams | null;
  error: string | null;
  errorCode: string | null;
  errorParams: MessageParams | null;
  speeds: Speeds;
  waysRead: number;
  nodeCount: number;
  edgeCount: number;
  marginM: number;
  /** The bounds of the area kept (the boundary and its margin), null once removed. */
  bounds: { west: number; south: number; east: number; north: number } | null;
  startedAt: string;
  importedAt: string | null;
  importedBy: string | null;
}

/** A request that cannot be done as asked, with its status, shown as is. */
export class RoadNetworkRequestError extends UserError {
  constructor(
    override readonly statusCode: 400 | 404 | 409,
    message: CodedMessage,
  ) {
    super(statusCode, message);
  }
}

function summaryColumns(db: Kysely<Database>) {
  return db
    .selectFrom('road_network as n')
    .leftJoin('account as a', 'a.id', 'n.account_id')
    .select([
      'n.id',
      'n.alliance_id',
      'n.source_name',
      'n.status',
      'n.progress',
      'n.stage_code',
      'n.stage_params',
      'n.error',
      'n.error_code',
      'n.error_params',
      'n.speeds',
      'n.ways_read',
      'n.node_count',
      'n.edge_count',
      'n.started_at',
      'n.imported_at',
      'a.display_name as imported_by',
      sql<number | null>`ST_XMin(n.clip_area)`.as('west'),
      sql<number | null>`ST_YMin(n.clip_area)`.as('south'),
      sql<number | null>`ST_XMax(n.clip_area)`.as('east'),
      sql<number | null>`ST_YMax(n.clip_area)`.as('north'),
    ]);
}

type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaryColumns>['execute']>>[number];

const asParams = (value: unknown): MessageParams | null =>
  value === null || value === undefined
    ? null
    : ((typeof value === 'string' ? JSON.parse(value) : value) as MessageParams);

function toSummary(row: SummaryRow): RoadNetworkSummary {
  return {
    id: row.id,
    allianceId: row.alliance_id,
    sourceName: row.source_name,
    status: row.status,
    progress: row.progress,
    stageCode: row.stage_code as RoadNetworkStageCode | null,
    stageParams: asParams(row.stage_params),
    error: row.error,
    errorCode: row.error_code,
    errorParams: asParams(row.error_params),
    speeds: speedsFrom(typeof row.speeds === 'string' ? JSON.parse(row.speeds) : row.speeds),
    waysRead: Number(row.ways_read),
    nodeCount: Number(row.node_count),
    edgeCount: Number(row.edge_count),
    marginM: roadNetworkMarginM,
    bounds:
      row.west === null || row.south === null || row.east === null || row.north === null
        ? null
        : { west: row.west, south: row.south, east: row.east, north: row.north },
    startedAt: row.started_at.toISOString(),
    importedAt: row.imported_at?.toISOString() ?? null,
    importedBy: row.imported_by ?? null,
  };
}

export async function findNetwork(
  db: Kysely<Database>,
  allianceId: string,
  id: string,
): Promise<RoadNetworkSummary | undefined> {
  const row = await summaryColumns(db)
    .where('n.id', '=', id)
    .where('n.alliance_id', '=', allianceId)
    .executeTakeFirst();
  return row && toSummary(row);
}

/** The alliance's networks, newest first: the active one, imports under way or failed, and the last replaced. */
export async function networksOfAlliance(db: Kysely<Database>, allianceId: string): Promise<RoadNetworkSummary[]> {
  const rows = await summaryColumns(db)
    .where('n.alliance_id', '=', allianceId)
    .where('n.status', '<>', 'removed')
    .orderBy('n.started_at', 'desc')
    .limit(20)
    .execute();
  return rows.map(toSummary);
}

/**
 * Records an import that starts, with the area its roads will be clipped to (the boundary and the margin).
 * Refused while another import of the alliance is under way (409; the unique index decides between two started
 * at the same moment) and for an alliance without a boundary (400).
 */
export async function createNetwork(
  db: Kysely<Database>,
  values: { allianceId: string; accountId: string | null; sourceName: string; speeds?: Speeds },
): Promise<string> {
  const row = await sql<{ id: string }>`
    insert into road_network (alliance_id, account_id, source_name, speeds, clip_area, stage_code, stage_params)
    select a.id, ${values.accountId}, ${values.sourceName}, ${JSON.stringify(values.speeds ?? defaultSpeeds())}::jsonb,
           ST_Buffer(a.boundary::geography, ${roadNetworkMarginM})::geometry, 'waiting', '{}'::jsonb
    from alliance a where a.id = ${values.allianceId} and a.boundary is not null
    on conflict (alliance_id) where status = 'importing' do nothing
    returning id`.execute(db);
  const id = row.rows[0]?.id;
  if (id) return id;
  const importing = await db
    .selectFrom('road_network')
    .select('id')
    .where('alliance_id', '=', values.allianceId)
    .where('status', '=', 'importing')
    .executeTakeFirst();
  if (importing) throw new RoadNetworkRequestError(409, said('road-network.import-running'));
  throw new RoadNetworkRequestError(400, said('road-network.no-boundary'));
}

/** Whether the alliance has a boundary to clip a network to. */
export async function hasBoundary(db: Kysely<Database>, allianceId: string): Promise<boolean> {
  const row = await db
    .selectFrom('alliance')
    .select('id')
    .where('id', '=', allianceId)
    .where('boundary', 'is not', null)
    .executeTakeFirst();
  return row !== undefined;
}

/** The clip area of a network, simplified (well within its 30 km margin) for a quick test of every node. */
async function clipAreaOf(db: Kysely<Database>, networkId: string): Promise<ClipArea | null> {
  const result = await sql<{ geojson: string | null }>`
    select ST_AsGeoJSON(ST_SimplifyPreserveTopology(clip_area, 0.002)) as geojson
    from road_network where id = ${networkId}`.execute(db);
  const text = result.rows[0]?.geojson;
  if (!text) return null;
  const geometry = JSON.parse(text) as { type: string; coordinates: unknown };
  const polygons = (
    geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? geometry.coordinates : []
  ) as number[][][][];
  const rings = polygons.flat().map((ring) => Float64Array.from(ring.flat()));
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  for (const ring of rings) {
    for (let index = 0; index < ring.length; index += 2) {
      west = Math.min(west, ring[index]!);
      east = Math.max(east, ring[index]!);
      south = Math.min(south, ring[index + 1]!);
      north = Math.max(north, ring[index + 1]!);
    }
  }
  return { west, south, east, north, rings };
}

async function setStage(
  db: Kysely<Database>,
  networkId: string,
  code: RoadNetworkStageCode,
  params: MessageParams,
  progress: number,
  extra: { ways_read?: number; node_count?: number; edge_count?: number } = {},
): Promise<void> {
  await db
    .updateTable('road_network')
    .set({ stage_code: code, stage_params: JSON.stringify(params), progress, ...extra })
    .where('id', '=', networkId)
    .execute();
}

function edgeOfGraph(graph: RoadGraph, edge: number): EdgeForCosts {
  const bits = graph.edgeBits[edge]!;
  const maxspeed = graph.edgeMaxspeed[edge]!;
  const duration = graph.edgeDuration[edge]!;
  return {
    highway: classOfEdge(graph, edge),
    lengthM: graph.edgeLength[edge]!,
    maxspeedKmh: Number.isNaN(maxspeed) ? null : maxspeed,
    durationS: Number.isNaN(duration) ? null : duration,
    walkForward: (bits & walkForwardBit) !== 0,
    walkBackward: (bits & walkBackwardBit) !== 0,
    bikeForward: (bits & bikeForwardBit) !== 0,
    bikeBackward: (bits & bikeBackwardBit) !== 0,
    driveForward: (bits & driveForwardBit) !== 0,
    driveBackward: (bits & driveBackwardBit) !== 0,
  };
}

/** Coordinates as OpenStreetMap gives them: 7 decimals (about a centimetre). */
const coordinate = (value: number) => Math.round(value * 1e7) / 1e7;

/**
 * An edge's geometry as hex EWKB (little-endian LineString with SRID 4326), which the geometry type reads without
 * parsing text: cheaper for PostgreSQL (PGlite most of all) than WKT through ST_GeomFromText, and for JavaScript than
 * formatting every coordinate.
 */
function lineEwkbHex(graph: RoadGraph, edge: number, buffer: Buffer): string {
  const first = graph.geometryStart[edge]!;
  const last = graph.geometryStart[edge + 1]!;
  const size = 13 + 16 * (last - first);
  const bytes = buffer.length >= size ? buffer : Buffer.allocUnsafe(size);
  bytes.writeUInt8(1, 0);
  bytes.writeUInt32LE(0x20000002, 1); // LineString, with an SRID
  bytes.writeUInt32LE(4326, 5);
  bytes.writeUInt32LE(last - first, 9);
  for (let vertex = first, at = 13; vertex < last; vertex++, at += 16) {
    bytes.writeDoubleLE(coordinate(graph.vertexLon[vertex]!), at);
    bytes.writeDoubleLE(coordinate(graph.vertexLat[vertex]!), at + 8);
  }
  return bytes.toString('hex', 0, size);
}

async function writeNodes(
  db: Kysely<Database>,
  networkId: string,
  graph: RoadGraph,
  slicing: Slicing,
  onWritten: (count: number) => Promise<void>,
): Promise<void> {
  const sizer = new BatchSizer(slicing, { first: 5000, max: 100_000 });
  const total = graph.nodeLon.length;
  for (let start = 0; start < total;) {
    const end = Math.min(total, start + sizer.size);
    const lon: number[] = new Array<number>(end - start);
    const lat: number[] = new Array<number>(end - start);
    for (let index = start; index < end; index++) {
      lon[index - start] = coordinate(graph.nodeLon[index]!);
      lat[index - start] = coordinate(graph.nodeLat[index]!);
    }
    // The ids are consecutive: the statement numbers the rows itself rather than receiving an array of them.
    await sizer.run(db, lon.length, (connection) =>
      sql`
        insert into road_node (network_id, id, geom)
        select ${networkId}, ${start} + n.ordinality, ST_SetSRID(ST_MakePoint(n.lon, n.lat), 4326)
        from unnest(${lon}::float8[], ${lat}::float8[]) with ordinality as n(lon, lat, ordinality)`.execute(connection),
    );
    start = end;
    await onWritten(end);
  }
}

async function writeEdges(
  db: Kysely<Database>,
  networkId: string,
  graph: RoadGraph,
  speeds: Speeds,
  slicing: Slicing,
  onWritten: (count: number) => Promise<void>,
): Promise<void> {
  const sizer = new BatchSizer(slicing, { first: 2000, max: 50_000 });
  const total = graph.edgeSource.length;
  const buffer = Buffer.allocUnsafe(4096);
  for (let start = 0; start < total;) {
    const end = Math.min(total, start + sizer.size);
    const count = end - start;
    const columns = {
      source: Array.from(graph.edgeSource.subarray(start, end)),
      target: Array.from(graph.edgeTarget.subarray(start, end)),
      highway: new Array<string>(count),
      length: Array.from(graph.edgeLength.subarray(start, end)),
      maxspeed: new Array<number | null>(count),
      duration: new Array<number | null>(count),
      bits: Array.from(graph.edgeBits.subarray(start, end)),
      costs: Array.from({ length: 6 }, () => new Array<number>(count)),
      geometry: new Array<string>(count),
    };
    for (let edge = start; edge < end; edge++) {
      const row = edge - start;
      const values = edgeOfGraph(graph, edge);
      const costs = costsOf(values, speeds);
      columns.highway[row] = values.highway;
      columns.maxspeed[row] = values.maxspeedKmh;
      columns.duration[row] = values.durationS;
      columns.costs[0]![row] = costs.walkCost;
      columns.costs[1]![row] = costs.walkReverseCost;
      columns.costs[2]![row] = costs.bikeCost;
      columns.costs[3]![row] = costs.bikeReverseCost;
      columns.costs[4]![row] = costs.driveCost;
      columns.costs[5]![row] = costs.driveReverseCost;
      columns.geometry[row] = lineEwkbHex(graph, edge, buffer);
    }
    await sizer.run(db, count, (connection) =>
      sql`
        insert into road_edge (network_id, id, source, target, highway, length_m, maxspeed_kmh, duration_s,
                               walk_forward, walk_backward, bike_forward, bike_backward, drive_forward, drive_backward,
                               walk_cost, walk_reverse_cost, bike_cost, bike_reverse_cost, drive_cost,
                               drive_reverse_cost, geom)
        select ${networkId}, ${start} + e.ordinality, e.source, e.target, e.highway, e.length_m, e.maxspeed, e.duration,
               e.bits & 1 <> 0, e.bits & 2 <> 0, e.bits & 4 <> 0, e.bits & 8 <> 0, e.bits & 16 <> 0, e.bits & 32 <> 0,
               e.c1, e.c2, e.c3, e.c4, e.c5, e.c6, e.geometry::geometry
        from unnest(${columns.source}::bigint[], ${columns.target}::bigint[],
                    ${columns.highway}::text[], ${columns.length}::float8[], ${columns.maxspeed}::float8[],
                    ${columns.duration}::float8[], ${columns.bits}::int[], ${columns.costs[0]}::float8[],
                    ${columns.costs[1]}::float8[], ${columns.costs[2]}::float8[], ${columns.costs[3]}::float8[],
                    ${columns.costs[4]}::float8[], ${columns.costs[5]}::float8[], ${columns.geometry}::text[])
             with ordinality
             as e(source, target, highway, length_m, maxspeed, duration, bits, c1, c2, c3, c4, c5, c6, geometry,
                  ordinality)`.execute(connection),
    );
    start = end;
    await onWritten(end);
  }
}

/** Deletes a network's nodes and edges a batch per statement (see Slicing). */
async function deleteRows(db: Kysely<Database>, networkId: string, slicing: Slicing): Promise<void> {
  for (const table of ['road_edge', 'road_node'] as const) {
    const sizer = new BatchSizer(slicing, { first: 5000, max: 200_000 });
    for (;;) {
      const limit = sizer.size;
      const deleted = await sizer.run(db, limit, (connection) =>
        sql`
          delete from ${sql.table(table)} where network_id = ${networkId} and id in (
            select id from ${sql.table(table)} where network_id = ${networkId} order by id limit ${limit})`.execute(
          connection,
        ),
      );
      if (Number(deleted.numAffectedRows ?? 0) < limit) break;
    }
  }
}

/**
 * Reads an extract into a network started by createNetwork, then makes it the alliance's active network. Nodes and
 * edges are written a batch per statement under a network that is `importing`, which nothing reads; the old
 * network becomes `replaced` and the new one `active` in one short transaction at the end, and the old one's rows
 * are deleted afterwards. A failure deletes what was written and marks the import failed with a code. Never throws.
 */
export async function runNetworkImport(
  db: Kysely<Database>,
  networkId: string,
  file: { path: string; name: string; format: OsmFormat },
  options: { slicing: Slicing; onUnexpectedError?: (error: unknown) => void; signal?: AbortSignal },
): Promise<void> {
  const { slicing } = options;
  try {
    const network = await db
      .selectFrom('road_network')
      .select(['alliance_id', 'speeds'])
      .where('id', '=', networkId)
      .executeTakeFirstOrThrow();
    const speeds = speedsFrom(network.speeds);
    const clip = await clipAreaOf(db, networkId);
    if (!clip) throw new RoadNetworkFileError(said('road-network.boundary-gone'));
    let written = Number.NEGATIVE_INFINITY;
    const graph = await buildRoadGraph(
      file.path,
      file.name,
      file.format,
      clip,
      async ({ stage, fraction, waysRead }) => {
        if (fraction - written >= 0.01) {
          written = fraction;
          await setStage(db, networkId, stage, { ways: waysRead }, 0.6 * fraction, { ways_read: waysRead });
        } else {
          await nextTurn();
        }
      },
      options.signal,
    );
    const nodes = graph.nodeLon.length;
    const edges = graph.edgeSource.length;
    const rows = nodes + edges;
    const counts = { ways_read: graph.waysRead, node_count: nodes, edge_count: edges };
    let step = Number.NEGATIVE_INFINITY;
    const writing = async (done: number) => {
      const fraction = done / rows;
      if (fraction - step >= 0.01) {
        step = fraction;
        await setStage(db, networkId, 'writing', { done, total: rows }, 0.6 + 0.39 * fraction, counts);
      }
    };
    await writeNodes(db, networkId, graph, slicing, writing);
    await writeEdges(db, networkId, graph, speeds, slicing, (done) => writing(nodes + done));

    const replaced = await db.transaction().execute(async (trx) => {
      const old = await trx
        .updateTable('road_network')
        .set({ status: 'replaced' })
        .where('alliance_id', '=', network.alliance_id)
        .where('status', '=', 'active')
        .returning('id')
        .execute();
      await trx
        .updateTable('road_network')
        .set({
          status: 'active',
          progress: 1,
          stage_code: 'done',
          stage_params: JSON.stringify({}),
          ...counts,
          imported_at: sql`now()`,
        })
        .where('id', '=', networkId)
        .execute();
      return old.map((row) => row.id);
    });
    for (const id of replaced) await deleteRows(db, id, slicing);
  } catch (error) {
    const failure = error instanceof RoadNetworkFileError ? codedFrom(error) : said('road-network.import-unexpected');
    if (!(error instanceof RoadNetworkFileError)) options.onUnexpectedError?.(error);
    try {
      await db
        .updateTable('road_network')
        .set({
          status: 'failed',
          error: failure.message,
          error_code: failure.code,
          error_params: JSON.stringify(failure.params),
          stage_code: null,
          stage_params: null,
        })
        .where('id', '=', networkId)
        .execute();
      await deleteRows(db, networkId, slicing);
    } catch (markError) {
      options.onUnexpectedError?.(markError);
    }
  }
}

/**
 * Removes a network: analyses measure straight lines again when it was the active one. Its nodes and edges are
 * deleted. An import under way cannot be removed (409). False when there is no such network.
 */
export async function removeNetwork(
  db: Kysely<Database>,
  allianceId: string,
  networkId: string,
  slicing: Slicing,
): Promise<boolean> {
  const current = await db
    .selectFrom('road_network')
    .select('status')
    .where('id', '=', networkId)
    .where('alliance_id', '=', allianceId)
    .executeTakeFirst();
  if (!current || current.status === 'removed') return false;
  if (current.status === 'importing') throw new RoadNetworkRequestError(409, said('road-network.import-running'));
  await db
    .updateTable('road_network')
    .set({ status: 'removed', clip_area: null })
    .where('id', '=', networkId)
    .execute();
  await deleteRows(db, networkId, slicing);
  return true;
}

/**
 * Changes the speeds of the active network and recomputes every edge's costs with costsOf, in one transaction: an
 * analysis reads the old costs or the new ones, never a mix.
 */
export async function updateSpeeds(
  db: Kysely<Database>,
  allianceId: string,
  networkId: string,
  speeds: Speeds,
): Promise<void> {
  const network = await db
    .selectFrom('road_network')
    .select('status')
    .where('id', '=', networkId)
    .where('alliance_id', '=', allianceId)
    .executeTakeFirst();
  if (!network || network.status === 'removed') {
    throw new RoadNetworkRequestError(404, said('not-found.road-network', { id: networkId }));
  }
  if (network.status !== 'active') {
    throw new RoadNetworkRequestError(409, said('road-network.not-active'));
  }
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('road_network')
      .set({ speeds: JSON.stringify(speeds) })
      .where('id', '=', networkId)
      .execute();
    let after = 0;
    for (;;) {
      const rows = await trx
        .selectFrom('road_edge')
        .select([
          'id',
          'highway',
          'length_m',
          'maxspeed_kmh',
          'duration_s',
          'walk_forward',
          'walk_backward',
          'bike_forward',
          'bike_backward',
          'drive_forward',
          'drive_backward',
        ])
        .where('network_id', '=', networkId)
        .where('id', '>', String(after))
        .orderBy('id')
        .limit(20_000)
        .execute();
      if (rows.length === 0) break;
      const ids: string[] = [];
      const costs: number[][] = [[], [], [], [], [], []];
      for (const row of rows) {
        const edge = costsOf(
          {
            highway: row.highway,
            lengthM: row.length_m,
            maxspeedKmh: row.maxspeed_kmh,
            durationS: row.duration_s,
            walkForward: row.walk_forward,
            walkBackward: row.walk_backward,
            bikeForward: row.bike_forward,
            bikeBackward: row.bike_backward,
            driveForward: row.drive_forward,
            driveBackward: row.drive_backward,
          },
          speeds,
        );
        ids.push(row.id);
        costs[0]!.push(edge.walkCost);
        costs[1]!.push(edge.walkReverseCost);
        costs[2]!.push(edge.bikeCost);
        costs[3]!.push(edge.bikeReverseCost);
        costs[4]!.push(edge.driveCost);
        costs[5]!.push(edge.driveReverseCost);
      }
      await sql`
        update road_edge e set walk_cost = c.c1, walk_reverse_cost = c.c2, bike_cost = c.c3,
                               bike_reverse_cost = c.c4, drive_cost = c.c5, drive_reverse_cost = c.c6
        from unnest(${ids}::bigint[], ${costs[0]}::float8[], ${costs[1]}::float8[], ${costs[2]}::float8[],
                    ${costs[3]}::float8[], ${costs[4]}::float8[], ${costs[5]}::float8[])
             as c(id, c1, c2, c3, c4, c5, c6)
        where e.network_id = ${networkId} and e.id = c.id`.execute(trx);
      after = Number(rows[rows.length - 1]!.id);
      await nextTurn();
    }
  });
}

/**
 * Imports run inside the server process, so one still "importing" when the server starts was cut off: mark it
 * failed and delete the rows of every network that is not active. Runs once, before the server answers requests.
 */
export async function failInterruptedNetworkImports(db: Kysely<Database>): Promise<number> {
  const failure = said('road-network.interrupted');
  const result = await db
    .updateTable('road_network')
    .set({
      status: 'failed',
      error: failure.message,
      error_code: failure.code,
      error_params: JSON.stringify(failure.params),
      stage_code: null,
      stage_params: null,
    })
    .where('status', '=', 'importing')
    .executeTakeFirst();
  await sql`delete from road_edge e using road_network n where n.id = e.network_id and n.status <> 'active'`.execute(
    db,
  );
  await sql`delete from road_node e using road_network n where n.id = e.network_id and n.status <> 'active'`.execute(
    db,
  );
  return Number(result.numUpdatedRows);
}
