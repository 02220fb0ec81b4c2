import { type Kysely, sql } from 'kysely';
import type { Database, DuplicateDecision, ImportRowOutcome } from '../../db/schema.js';
import type { StagedProblem } from './stagedRecords.js';
import { type CodedMessage, said } from '../messages/userError.js';

export type RowFilter =
  'problems' | 'duplicates' | 'new' | 'updated' | 'unchanged' | 'gone' | 'conflicts' | 'needs-place';

const conflicted = sql<boolean>`exists (select 1 from jsonb_array_elements(coalesce(changes, '[]')) ch
  where (ch ->> 'editedLocally')::boolean and not (ch ->> 'field') = any(overwrite))`;

const filters: Record<RowFilter, ReturnType<typeof sql<boolean>>> = {
  problems: sql<boolean>`jsonb_array_length(problems) > 0`,
  duplicates: sql<boolean>`candidates is not null`,
  new: sql<boolean>`outcome = 'new'`,
  updated: sql<boolean>`outcome = 'updated'`,
  unchanged: sql<boolean>`outcome = 'unchanged'`,
  gone: sql<boolean>`outcome = 'gone'`,
  conflicts: conflicted,
  'needs-place': sql<boolean>`needs_place and outcome in ('new', 'updated', 'unchanged')`,
};

interface Change {
  field: string;
  current: unknown;
  incoming: unknown;
  editedLocally: boolean;
}

export interface ImportRowView {
  key: number;
  row: number | null;
  file: string | null;
  kind: 'organization' | 'location' | 'service' | null;
  sourceId: string | null;
  name: string | null;
  outcome: ImportRowOutcome;
  problems: (StagedProblem & Required<Pick<StagedProblem, 'code' | 'params'>>)[];
  cells: Record<string, string> | null;
  duplicate: {
    candidates: {
      id: string;
      name: string;
      reason: 'source-id' | 'identifier' | 'name-nearby';
      distanceM: number | null;
    }[];
    decision: DuplicateDecision;
    targetId: string | null;
  } | null;
  changes: (Change & { overwrite: boolean })[];
  existingId: string | null;
  needsPlace: boolean;
}

/** A page of the staged rows, in file order, optionally of one kind. */
export async function listImportRows(
  db: Kysely<Database>,
  jobId: string,
  { show, page, perPage }: { show?: RowFilter; page: number; perPage: number },
): Promise<{ total: number; rows: ImportRowView[] }> {
  const where = show ? filters[show] : sql<boolean>`true`;
  const { rows: counted } = await sql<{ total: number }>`
    select count(*)::int as total from import_row where job_id = ${jobId} and ${where}`.execute(db);
  const rows = await db
    .selectFrom('import_row')
    .select([
      'key',
      'row',
      'file',
      'kind',
      'source_id',
      'name',
      'outcome',
      'problems',
      sql<Record<string, string> | null>`record -> 'cells'`.as('cells'),
      'candidates',
      'decision',
      'target_id',
      'changes',
      'overwrite',
      'existing_id',
      'needs_place',
    ])
    .where('job_id', '=', jobId)
    .where(where)
    .orderBy('key')
    .limit(perPage)
    .offset((page - 1) * perPage)
    .execute();
  return {
    total: counted[0]?.total ?? 0,
    rows: rows.map((row) => ({
      key: row.key,
      row: row.row,
      file: row.file,
      kind: row.kind,
      sourceId: row.source_id,
      name: row.name,
      outcome: row.outcome ?? 'error',
      // A problem staged before problems had codes (previews last a day) says only that the row has one.
      problems: (row.problems as StagedProblem[]).map((problem) => ({
        ...problem,
        code: problem.code ?? 'import.row-problem',
        params: problem.params ?? {},
      })),
      cells: row.cells && typeof row.cells === 'object' ? row.cells : null,
      duplicate:
        row.candidates === null
          ? null
          : {
              candidates: row.candidates as NonNullable<ImportRowView['duplicate']>['candidates'],
              decision: row.decision ?? 'skip',
              targetId: row.target_id,
            },
      changes: ((row.changes ?? []) as Change[]).map((change) => ({
        ...change,
        overwrite: row.overwrite.includes(change.field),
      })),
      existingId: row.existing_id,
      needsPlace: row.needs_place,
    })),
  };
}

/** Why a decision cannot be taken, said for the person; undefined when all were recorded. */
export async function recordDecisions(
  db: Kysely<Database>,
  jobId: string,
  decisions: { key: number; action: DuplicateDecision; targetId?: string }[],
): Promise<CodedMessage | undefined> {
  for (const decision of decisions) {
    const row = await db
      .selectFrom('import_row')
      .select(['candidates', 'target_id'])
      .where('job_id', '=', jobId)
      .where('key', '=', decision.key)
      .executeTakeFirst();
    if (!row?.candidates) return said('import.no-duplicate-to-decide', { key: decision.key });
    const candidates = row.candidates as { id: string }[];
    const targetId = decision.targetId ?? row.target_id;
    if (decision.action === 'merge' && !candidates.some((candidate) => candidate.id === targetId)) {
      return said('import.merge-into-duplicate', { key: decision.key });
    }
    await db
      .updateTable('import_row')
      .set({ decision: decision.action, target_id: targetId })
      .where('job_id', '=', jobId)
      .where('key', '=', decision.key)
      .execute();
  }
  return undefined;
}

/** Fields whose incoming value replaces an editor's, by row. */
export async function recordOverwrites(
  db: Kysely<Database>,
  jobId: string,
  overwrite: { key: number; field: string }[],
): Promise<CodedMessage | undefined> {
  for (const { key, field } of overwrite) {
    const result = await sql`
      update import_row set overwrite = array_append(array_remove(overwrite, ${field}::text), ${field}::text)
      where job_id = ${jobId} and key = ${key}
        and exists (select 1 from jsonb_array_elements(coalesce(changes, '[]')) ch where ch ->> 'field' = ${field})`.execute(
      db,
    );
    if (Number(result.numAffectedRows ?? 0) === 0) {
      return said('import.no-change-to-apply', { key, field });
    }
  }
  return undefined;
}
