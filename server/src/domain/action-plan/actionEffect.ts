import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { findRun, type GapAnalysisRun } from '../gap-analysis/gapAnalysisRepository.js';
import { travelOf } from '../gap-analysis/gapParameters.js';
import {
  type AddedService,
  createScenario,
  type SavedScenario,
  type ScenarioOutcome,
} from '../gap-analysis/scenarios.js';
import type { TravelMatrix } from '../gap-analysis/travelMeasures.js';
import type { Action } from './actionRepository.js';

/**
 * An action's expected effect (issue 15, part 4): the latest what-if scenario saved on one of the alliance's runs
 * that adds the action's planned service (`added[].planActionId`), and the run it was computed on. A new one is
 * computed, with that action alone, on the alliance's latest finished run in minutes that measures the planned
 * category.
 */
export interface ActionEffect {
  scenario: SavedScenario;
  run: { id: string; travel: string; startedAt: string };
}

function toEffect(row: {
  id: string;
  run_id: string;
  label: string | null;
  added: unknown;
  removed: string[];
  outcome: unknown;
  created_at: Date;
  parameters: unknown;
  started_at: Date;
}): ActionEffect {
  return {
    scenario: {
      id: row.id,
      runId: row.run_id,
      label: row.label,
      added: row.added as AddedService[],
      removed: row.removed,
      outcome: row.outcome as ScenarioOutcome,
      createdAt: row.created_at.toISOString(),
    },
    run: {
      id: row.run_id,
      travel: travelOf(row.parameters as { travel?: never }),
      startedAt: row.started_at.toISOString(),
    },
  };
}

/** The latest scenario of the alliance's runs that includes the action, or null. */
export async function latestActionEffect(
  db: Kysely<Database>,
  action: Pick<Action, 'id' | 'allianceId'>,
): Promise<ActionEffect | null> {
  const row = await db
    .selectFrom('gap_scenario as s')
    .innerJoin('gap_analysis_run as r', 'r.id', 's.run_id')
    .select([
      's.id',
      's.run_id',
      's.label',
      's.added',
      's.removed',
      's.outcome',
      's.created_at',
      'r.parameters',
      'r.started_at',
    ])
    .where('r.alliance_id', '=', action.allianceId)
    .where(sql<boolean>`s.added @> ${JSON.stringify([{ planActionId: action.id }])}::jsonb`)
    .orderBy('s.created_at', 'desc')
    .orderBy('s.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toEffect(row) : null;
}

/** The alliance's latest finished run in minutes (walk, bike or drive) measuring the category, or undefined. */
export async function latestTravelRun(
  db: Kysely<Database>,
  allianceId: string,
  category: string,
): Promise<GapAnalysisRun | undefined> {
  const row = await db
    .selectFrom('gap_analysis_run')
    .select('id')
    .where('alliance_id', '=', allianceId)
    .where('status', '=', 'done')
    .where('unit_set_id', 'is not', null)
    .where(sql<boolean>`parameters ->> 'travel' in ('walk', 'bike', 'drive')`)
    .where(sql<boolean>`parameters -> 'categories' ? ${category}`)
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? findRun(db, row.id) : undefined;
}

/** Computes and saves a scenario adding the action's planned service alone to `run`. */
export async function computeActionEffect(
  db: Kysely<Database>,
  action: Pick<Action, 'id' | 'number' | 'title' | 'plannedPlace' | 'plannedCategory' | 'plannedCapacity'>,
  run: GapAnalysisRun,
  options: { accountId: string | null; travelMatrix: TravelMatrix },
): Promise<ActionEffect> {
  const { plannedPlace, plannedCategory } = action;
  if (!plannedPlace || !plannedCategory || !run.unitSetId) throw new Error('The action has no planned service.');
  const label = `${action.number}. ${action.title}`.slice(0, 200);
  const scenario = await createScenario(
    db,
    { ...run, unitSetId: run.unitSetId, networkId: run.summary?.travel?.network.id },
    {
      label,
      add: [
        {
          ...plannedPlace,
          category: plannedCategory,
          ...(action.plannedCapacity === null ? {} : { capacity: action.plannedCapacity }),
          label,
          planActionId: action.id,
        },
      ],
      remove: [],
    },
    options,
  );
  return { scenario, run: { id: run.id, travel: travelOf(run.parameters), startedAt: run.startedAt } };
}
