import { type Kysely, sql, type Transaction, type Updateable } from 'kysely';
import type { CategoryId, Database, PlanActionStatus, PlanActionTable } from '../../db/schema.js';
import type { UpdateOutcome } from '../history/staleVersion.js';
import { type CodedMessage, said, UserError } from '../messages/userError.js';
import { gapReasonText, storedGapReason } from '../gap-analysis/gapParameters.js';
import { currencyOfCountry } from './currencies.js';

/** The gap an action answers: an area × category or topic of a gap analysis run. */
export interface ActionGap {
  /** null once the run has been deleted; the area and subject stay as they were. */
  runId: string | null;
  unitId: string;
  subject: string;
  /** The area in words: its own name, else "Near <town>", else "Area <code>". */
  label: string;
}

/** A row of the guide's action table ("Your action plan is your guide to success"), with SMART fields. */
export interface Action {
  id: string;
  allianceId: string;
  number: number;
  title: string;
  problem: string | null;
  description: string | null;
  gap: ActionGap | null;
  estimatedBudget: number | null;
  currency: string | null;
  resources: string | null;
  responsibleOrganization: { id: string; name: string } | null;
  partnerOrganizations: { id: string; name: string }[];
  indicator: string | null;
  startsOn: string | null;
  dueOn: string | null;
  status: PlanActionStatus;
  published: boolean;
  /** Where the service the action would open stands (WGS 84), for a what-if scenario. */
  plannedPlace: { lon: number; lat: number } | null;
  plannedCategory: CategoryId | null;
  plannedCapacity: number | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** What a person may set on an action; undefined leaves a field as it is, null clears it. */
export interface ActionWrite {
  title?: string;
  problem?: string | null;
  description?: string | null;
  gapRunId?: string | null;
  gapUnitId?: string | null;
  gapSubject?: string | null;
  estimatedBudget?: number | null;
  currency?: string | null;
  resources?: string | null;
  responsibleOrganizationId?: string | null;
  partnerOrganizationIds?: string[];
  indicator?: string | null;
  startsOn?: string | null;
  dueOn?: string | null;
  status?: PlanActionStatus;
  published?: boolean;
  plannedPlace?: { lon: number; lat: number } | null;
  plannedCategory?: CategoryId | null;
  plannedCapacity?: number | null;
}

/** A write the alliance's data does not allow (unknown organisation, due before start…); shown as is. */
export class ActionInputError extends UserError {
  constructor(message: CodedMessage) {
    super(400, message);
  }
}

function actionRows(db: Kysely<Database>) {
  return db
    .selectFrom('plan_action as pa')
    .leftJoin('organization as ro', 'ro.id', 'pa.responsible_organization_id')
    .select([
      'pa.id',
      'pa.alliance_id',
      'pa.number',
      'pa.title',
      'pa.problem',
      'pa.description',
      'pa.gap_run_id',
      'pa.gap_unit_id',
      'pa.gap_subject',
      sql<number | null>`pa.estimated_budget::float8`.as('estimated_budget'),
      'pa.currency',
      'pa.resources',
      'pa.responsible_organization_id',
      'ro.name as responsible_name',
      sql<{ id: string; name: string }[]>`coalesce((
        select json_agg(json_build_object('id', o.id, 'name', o.name)
                        order by array_position(pa.partner_organization_ids, o.id))
        from organization o where o.id = any(pa.partner_organization_ids)), '[]'::json)`.as('partners'),
      // An H3 code means nothing on the ground: an unnamed area is named after its nearest populated place.
      sql<string | null>`(
        select coalesce(u.name,
                        'Near ' || (select dp.name from demand_point dp order by dp.geog <-> u.centroid limit 1),
                        'Area ' || u.code)
        from analysis_unit u where u.id = pa.gap_unit_id::uuid)`.as('gap_label'),
      'pa.indicator',
      sql<string | null>`pa.starts_on::text`.as('starts_on'),
      sql<string | null>`pa.due_on::text`.as('due_on'),
      'pa.status',
      'pa.published',
      'pa.planned_lon',
      'pa.planned_lat',
      'pa.planned_category',
      'pa.planned_capacity',
      'pa.version',
      'pa.created_at',
      'pa.updated_at',
    ]);
}

type ActionRow = Awaited<ReturnType<ReturnType<typeof actionRows>['execute']>>[number];

function toAction(row: ActionRow): Action {
  return {
    id: row.id,
    allianceId: row.alliance_id,
    number: row.number,
    title: row.title,
    problem: row.problem,
    description: row.description,
    gap:
      row.gap_unit_id && row.gap_subject
        ? {
            runId: row.gap_run_id,
            unitId: row.gap_unit_id,
            subject: row.gap_subject,
            label: row.gap_label ?? 'An area of a gap analysis that no longer exists',
          }
        : null,
    estimatedBudget: row.estimated_budget,
    currency: row.currency,
    resources: row.resources,
    responsibleOrganization:
      row.responsible_organization_id && row.responsible_name
        ? { id: row.responsible_organization_id, name: row.responsible_name }
        : null,
    partnerOrganizations: row.partners,
    indicator: row.indicator,
    startsOn: row.starts_on,
    dueOn: row.due_on,
    status: row.status,
    published: row.published,
    plannedPlace:
      row.planned_lon !== null && row.planned_lat !== null ? { lon: row.planned_lon, lat: row.planned_lat } : null,
    plannedCategory: row.planned_category,
    plannedCapacity: row.planned_capacity,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The actions of an alliance by number; `publishedOnly` for people outside the alliance. */
export async function listActions(
  db: Kysely<Database>,
  allianceId: string,
  options: { publishedOnly: boolean },
): Promise<Action[]> {
  let select = actionRows(db).where('pa.alliance_id', '=', allianceId);
  if (options.publishedOnly) select = select.where('pa.published', '=', true);
  const rows = await select.orderBy('pa.number').execute();
  return rows.map(toAction);
}

export async function findAction(db: Kysely<Database>, id: string): Promise<Action | undefined> {
  const row = await actionRows(db).where('pa.id', '=', id).executeTakeFirst();
  return row ? toAction(row) : undefined;
}

/** The alliance an action belongs to, for permission checks. */
export async function allianceOfAction(db: Kysely<Database>, id: string): Promise<string | undefined> {
  const row = await db.selectFrom('plan_action').select('alliance_id').where('id', '=', id).executeTakeFirst();
  return row?.alliance_id;
}

async function checkOrganizations(trx: Transaction<Database>, allianceId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const rows = await trx
    .selectFrom('organization')
    .select(['id', 'alliance_id', 'name'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  for (const id of ids) {
    const row = rows.find((candidate) => candidate.id === id);
    if (!row) throw new ActionInputError(said('not-found.organization', { id }));
    if (row.alliance_id !== allianceId) {
      throw new ActionInputError(said('action.organization-of-other-alliance', { name: row.name }));
    }
  }
}

function checkDates(startsOn: string | null, dueOn: string | null): void {
  if (startsOn && dueOn && dueOn < startsOn) {
    throw new ActionInputError(said('action.due-before-start', { dueOn, startsOn }));
  }
}

/** The budget column holds 14 digits with 2 decimals. */
const maxBudget = 999_999_999_999;

function checkBudget(budget: number | null | undefined): void {
  if (budget === null || budget === undefined) return;
  if (budget < 0) throw new ActionInputError(said('action.budget-negative', { budget }));
  if (budget > maxBudget) {
    throw new ActionInputError(said('action.budget-too-large', { max: maxBudget }));
  }
}

/** How far from its region an action's planned place may stand (a service just across the border). */
export const plannedPlaceReachKm = 50;

/**
 * A planned place must stand near the alliance's region (when it has a boundary): a point far away is nearly
 * always a latitude and a longitude sent the wrong way round.
 */
async function checkPlannedPlace(
  trx: Transaction<Database>,
  allianceId: string,
  place: { lon: number; lat: number } | null | undefined,
): Promise<void> {
  if (!place) return;
  const result = await sql<{ near: boolean | null }>`
    select ST_DWithin(boundary, ST_SetSRID(ST_MakePoint(${place.lon}, ${place.lat}), 4326)::geography,
                      ${plannedPlaceReachKm * 1000}) as near
    from alliance where id = ${allianceId}`.execute(trx);
  if (result.rows[0]?.near === false) {
    throw new ActionInputError(
      said('action.planned-place-far', { lon: place.lon, lat: place.lat, km: plannedPlaceReachKm }),
    );
  }
}

interface GapLink {
  runId: string;
  unitId: string;
  subject: string;
}

/** The three gap fields together, or none of them. */
function gapLinkOf(runId: string | null, unitId: string | null, subject: string | null): GapLink | null {
  if (runId === null && unitId === null && subject === null) return null;
  if (runId === null || unitId === null || subject === null) {
    throw new ActionInputError(said('action.gap-link-incomplete'));
  }
  return { runId, unitId, subject };
}

/**
 * Checks that a gap link names a finished run of the alliance, an area of its results and a subject it measured;
 * answers the result's reason ("No language courses within 10 km for ~41,000 inhabitants"), the local problem.
 */
async function gapReason(trx: Transaction<Database>, allianceId: string, gap: GapLink): Promise<string | null> {
  const run = await trx
    .selectFrom('gap_analysis_run')
    .select(['alliance_id', 'status'])
    .where('id', '=', gap.runId)
    .executeTakeFirst();
  if (!run || run.alliance_id !== allianceId) {
    throw new ActionInputError(said('action.gap-run-not-found', { runId: gap.runId }));
  }
  if (run.status !== 'done') {
    throw new ActionInputError(said('action.gap-run-not-done', { runId: gap.runId, status: run.status }));
  }
  const results = await trx
    .selectFrom('gap_analysis_result')
    .select(['subject', 'reason_code', 'reason_params'])
    .where('run_id', '=', gap.runId)
    .where('unit_id', '=', gap.unitId)
    .execute();
  if (results.length === 0) {
    throw new ActionInputError(said('action.gap-area-not-found', { runId: gap.runId, unitId: gap.unitId }));
  }
  const result = results.find((candidate) => candidate.subject === gap.subject);
  if (!result) {
    const measured = results.map((candidate) => candidate.subject).join(', ');
    throw new ActionInputError(
      said('action.gap-subject-not-measured', { runId: gap.runId, subject: gap.subject, measured }),
    );
  }
  const reason = storedGapReason(result.reason_code, result.reason_params);
  return reason ? gapReasonText(reason) : null;
}

/** Numbers are never reused, not even a deleted action's, so that a restored action keeps its number. */
async function nextActionNumber(trx: Transaction<Database>, allianceId: string): Promise<number> {
  const result = await sql<{ next: number }>`
    select coalesce(greatest(
      (select max(number) from plan_action where alliance_id = ${allianceId}),
      (select max((old_values ->> 'number')::int) from change_log
        where alliance_id = ${allianceId} and entity_type = 'plan_action' and action = 'delete')
    ), 0) + 1 as next`.execute(trx);
  return result.rows[0]!.next;
}

function toColumns(write: ActionWrite): Updateable<PlanActionTable> {
  const columns: Updateable<PlanActionTable> = {
    title: write.title,
    problem: write.problem,
    description: write.description,
    gap_run_id: write.gapRunId,
    gap_unit_id: write.gapUnitId,
    gap_subject: write.gapSubject,
    estimated_budget: write.estimatedBudget,
    currency: write.currency,
    resources: write.resources,
    responsible_organization_id: write.responsibleOrganizationId,
    partner_organization_ids: write.partnerOrganizationIds && [...new Set(write.partnerOrganizationIds)],
    indicator: write.indicator,
    starts_on: write.startsOn,
    due_on: write.dueOn,
    status: write.status,
    published: write.published,
    planned_lon: write.plannedPlace === undefined ? undefined : (write.plannedPlace?.lon ?? null),
    planned_lat: write.plannedPlace === undefined ? undefined : (write.plannedPlace?.lat ?? null),
    planned_category: write.plannedCategory,
    planned_capacity: write.plannedCapacity,
  };
  return Object.fromEntries(Object.entries(columns).filter(([, value]) => value !== undefined));
}

/**
 * Adds an action to the alliance's plan with the next number. The alliance row is locked for the transaction,
 * so that two people adding an action at the same moment get two numbers, not a unique-key error.
 */
export async function createAction(
  trx: Transaction<Database>,
  allianceId: string,
  write: ActionWrite & { title: string },
): Promise<string> {
  const alliance = await trx
    .selectFrom('alliance')
    .select('country')
    .where('id', '=', allianceId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  checkDates(write.startsOn ?? null, write.dueOn ?? null);
  checkBudget(write.estimatedBudget);
  await checkOrganizations(trx, allianceId, [
    ...(write.responsibleOrganizationId ? [write.responsibleOrganizationId] : []),
    ...(write.partnerOrganizationIds ?? []),
  ]);
  await checkPlannedPlace(trx, allianceId, write.plannedPlace);
  const gap = gapLinkOf(write.gapRunId ?? null, write.gapUnitId ?? null, write.gapSubject ?? null);
  const reason = gap ? await gapReason(trx, allianceId, gap) : null;
  const { id } = await trx
    .insertInto('plan_action')
    .values({
      ...toColumns(write),
      title: write.title,
      alliance_id: allianceId,
      number: await nextActionNumber(trx, allianceId),
      problem: write.problem === undefined ? reason : write.problem,
      currency: write.currency === undefined ? currencyOfCountry(alliance.country) : write.currency,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/**
 * Changes an action if it is still at `version`. The update itself says `where version = …`, so a change
 * committed by someone else between our read and our write makes it touch no row: it is then "stale".
 */
export async function updateAction(
  trx: Transaction<Database>,
  id: string,
  version: number,
  changes: ActionWrite,
): Promise<UpdateOutcome> {
  const current = await trx
    .selectFrom('plan_action')
    .select([
      'alliance_id',
      'version',
      'responsible_organization_id',
      'gap_run_id',
      'gap_unit_id',
      'gap_subject',
      sql<string | null>`starts_on::text`.as('starts_on'),
      sql<string | null>`due_on::text`.as('due_on'),
    ])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!current) return 'missing';
  if (current.version !== version) return 'stale';
  checkBudget(changes.estimatedBudget);
  await checkPlannedPlace(trx, current.alliance_id, changes.plannedPlace);
  checkDates(
    changes.startsOn === undefined ? current.starts_on : changes.startsOn,
    changes.dueOn === undefined ? current.due_on : changes.dueOn,
  );
  await checkOrganizations(trx, current.alliance_id, [
    ...(changes.responsibleOrganizationId ? [changes.responsibleOrganizationId] : []),
    ...(changes.partnerOrganizationIds ?? []),
  ]);
  if (changes.gapRunId !== undefined || changes.gapUnitId !== undefined || changes.gapSubject !== undefined) {
    const gap = gapLinkOf(
      changes.gapRunId === undefined ? current.gap_run_id : changes.gapRunId,
      changes.gapUnitId === undefined ? current.gap_unit_id : changes.gapUnitId,
      changes.gapSubject === undefined ? current.gap_subject : changes.gapSubject,
    );
    if (gap) await gapReason(trx, current.alliance_id, gap);
  }
  const columns = toColumns(changes);
  if (Object.keys(columns).length === 0) return 'updated';
  const updated = await trx
    .updateTable('plan_action')
    .set(columns)
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('id')
    .executeTakeFirst();
  return updated ? 'updated' : 'stale';
}

/** Removes an action; its comments stay, so that restoring it from the history brings the discussion back. */
export async function deleteAction(trx: Transaction<Database>, id: string): Promise<boolean> {
  const result = await trx.deleteFrom('plan_action').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
