import { type Kysely, sql } from 'kysely';

/**
 * Gap analyses in minutes (issue 15): a run may measure travel times on the alliance's road network instead of
 * straight lines (`parameters.travel`: walk, bike or drive).
 *
 * - `gap_travel_pair`: the pairs of a travel run within its largest catchment, area (its population-weighted
 *   centre) → service location, with the door-to-door time in seconds, as the travel-time matrix answered them;
 *   the run's measures are computed from them, and its what-if scenarios start from them. Deleted with the run.
 *   `location_id` is a `service_at_location` id at the time of the run, without a foreign key: the run keeps its
 *   pairs if the place is later removed.
 * - `gap_analysis_result.nearest_seconds`: the time to the nearest service in a travel run (null beyond the
 *   largest catchment, and in a straight-line run, whose `nearest_distance_m` says the distance).
 * - Gap reasons gain `unreachable` (no service of the subject within the largest catchment by that mode) and
 *   `off-network` (the area's centre is too far from any road that mode may use).
 * - `gap_scenario`: a what-if on a finished run: services added (points with a category, capacity, label, the plan
 *   action they come from) and service locations removed, with the answer computed (before/after per subject).
 *
 * Frozen in time: it imports nothing from the application.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table gap_travel_pair (
      run_id uuid not null references gap_analysis_run (id) on delete cascade,
      unit_id uuid not null,
      location_id uuid not null,
      seconds float8 not null check (seconds >= 0),
      primary key (run_id, unit_id, location_id)
    )`.execute(db);
  await sql`create index gap_travel_pair_location_idx on gap_travel_pair (run_id, location_id)`.execute(db);
  await sql`alter table gap_analysis_result add column nearest_seconds float8`.execute(db);
  await sql`alter table gap_analysis_result drop constraint if exists gap_analysis_result_reason_code_check`.execute(
    db,
  );
  await sql`
    alter table gap_analysis_result add constraint gap_analysis_result_reason_code_check
      check (reason_code in ('no-service-within', 'below-regional-mean', 'unreachable', 'off-network'))`.execute(db);
  await sql`
    create table gap_scenario (
      id uuid primary key default gen_random_uuid(),
      run_id uuid not null references gap_analysis_run (id) on delete cascade,
      account_id uuid references account (id) on delete set null,
      label text check (length(label) <= 200),
      added jsonb not null default '[]',
      removed uuid[] not null default '{}',
      outcome jsonb not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index gap_scenario_run_idx on gap_scenario (run_id, created_at)`.execute(db);
}

/**
 * Back to straight lines only: the scenarios and pairs go, and the reasons of travel runs that only they can say
 * (unreachable, off-network) are kept as English text without a code.
 */
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table gap_scenario`.execute(db);
  await sql`
    update gap_analysis_result set reason_code = null, reason_params = null
    where reason_code in ('unreachable', 'off-network')`.execute(db);
  await sql`alter table gap_analysis_result drop constraint gap_analysis_result_reason_code_check`.execute(db);
  await sql`
    alter table gap_analysis_result add constraint gap_analysis_result_reason_code_check
      check (reason_code in ('no-service-within', 'below-regional-mean'))`.execute(db);
  await sql`alter table gap_analysis_result drop column nearest_seconds`.execute(db);
  await sql`drop table gap_travel_pair`.execute(db);
}
