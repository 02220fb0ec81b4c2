import { type Kysely, sql } from 'kysely';

/**
 * The edges at a node, found by either end: snapping a point to the network (domain/travel-time/snapping.ts) keeps
 * only the nodes a profile can use, those ending an edge it may take.
 *
 * Frozen in time: it imports nothing from the application.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index road_edge_source_idx on road_edge (network_id, source)`.execute(db);
  await sql`create index road_edge_target_idx on road_edge (network_id, target)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index road_edge_target_idx`.execute(db);
  await sql`drop index road_edge_source_idx`.execute(db);
}
