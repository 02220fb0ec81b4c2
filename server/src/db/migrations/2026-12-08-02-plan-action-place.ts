import { type Kysely, sql } from 'kysely';

/**
 * A planned place on an action of the plan (issue 15, part 4): where the service the action would open stands
 * (longitude and latitude in WGS 84, both or neither), which of the three categories it would belong to, and its
 * capacity (S_j of the floating-catchment measures; none counts as 1). A what-if scenario takes them as a planned
 * service. Two numbers rather than a geography: the change log shows and restores them as they were typed.
 *
 * Frozen in time: it imports nothing from the application.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table plan_action
      add column planned_lon float8 check (planned_lon between -180 and 180),
      add column planned_lat float8 check (planned_lat between -90 and 90),
      add column planned_category text
        check (planned_category in ('social_action', 'socio_cultural_sports', 'professional_integration')),
      add column planned_capacity float8 check (planned_capacity > 0 and planned_capacity < 'infinity'),
      add constraint plan_action_planned_point check ((planned_lon is null) = (planned_lat is null))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    alter table plan_action
      drop constraint plan_action_planned_point,
      drop column planned_capacity,
      drop column planned_category,
      drop column planned_lat,
      drop column planned_lon`.execute(db);
}
