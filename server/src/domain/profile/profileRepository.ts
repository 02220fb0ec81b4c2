import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database, Sector } from '../../db/schema.js';
import { type Action, listActions } from '../action-plan/actionRepository.js';
import type { GapAnalysisSummary } from '../gap-analysis/gapAnalysisRepository.js';
import { approximatePopulation, type GapAnalysisParameters, subjectsOf } from '../gap-analysis/gapParameters.js';
import { webAddressOrNull } from '#contract/links/webAddress.js';

/** A gap analysis the alliance chose to publish: the guide's "publish your research". */
export interface PublishedResearch {
  runId: string;
  createdAt: string;
  /** What was measured, e.g. "Social action, Professional & economic integration, language courses". */
  subject: string;
  /** The result in one sentence: areas, inhabitants, reach and areas with a gap per subject. */
  summary: string;
}

/**
 * What the alliance shows the world. Organisations only, never people: no stakeholder contact fields, no
 * signatory's contact.
 */
export interface Profile {
  alliance: {
    slug: string;
    name: string;
    country: string;
    description: string | null;
    vision: string | null;
    charter: string | null;
  };
  published: boolean;
  members: { id: string; name: string; sector: Sector | null; website: string | null }[];
  signatories: { signerName: string; organizationName: string | null; signedOn: string }[];
  actions: Action[];
  research: PublishedResearch[];
  bbox: [number, number, number, number] | null;
}

export async function profilePublished(db: Kysely<Database>, allianceId: string): Promise<boolean> {
  const row = await db
    .selectFrom('alliance')
    .select('profile_published')
    .where('id', '=', allianceId)
    .executeTakeFirst();
  return row?.profile_published === true;
}

function kilometres(metres: number): string {
  return (metres / 1000).toLocaleString('en', { maximumFractionDigits: 1 });
}

/** "120 areas, ~273,000 inhabitants, services within 10 km. Areas with a gap: Social action 3; …" */
export function researchSummary(parameters: GapAnalysisParameters, summary: GapAnalysisSummary | null): string {
  if (!summary) return '';
  const gaps = summary.subjects.map((subject) => `${subject.label} ${subject.flaggedUnits}`).join('; ');
  return (
    `${summary.unitCount.toLocaleString('en')} ${summary.unitCount === 1 ? 'area' : 'areas'}, ` +
    `${approximatePopulation(summary.totalPopulation)} inhabitants, services within ${kilometres(parameters.thresholdM)} km. ` +
    `Areas with a gap: ${gaps}.`
  );
}

async function publishedResearch(db: Kysely<Database>, allianceId: string): Promise<PublishedResearch[]> {
  const rows = await db
    .selectFrom('gap_analysis_run')
    .select(['id', 'started_at', 'parameters', 'summary'])
    .where('alliance_id', '=', allianceId)
    .where('published', '=', true)
    .where('status', '=', 'done')
    .orderBy('started_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map((row) => {
    const parameters = row.parameters as GapAnalysisParameters;
    return {
      runId: row.id,
      createdAt: row.started_at.toISOString(),
      subject: subjectsOf(parameters)
        .map((subject) => subject.label)
        .join(', '),
      summary: researchSummary(parameters, row.summary as GapAnalysisSummary | null),
    };
  });
}

/** The profile as it would be published (`published` says whether it is). */
export async function findProfile(db: Kysely<Database>, allianceId: string): Promise<Profile | undefined> {
  const alliance = await db
    .selectFrom('alliance as a')
    .select([
      'a.slug',
      'a.name',
      sql<string>`trim(a.country)`.as('country'),
      'a.description',
      'a.vision',
      'a.charter',
      'a.profile_published',
      sql<Profile['bbox']>`
        case when a.boundary is null then null
        else json_build_array(ST_XMin(a.boundary), ST_YMin(a.boundary), ST_XMax(a.boundary), ST_YMax(a.boundary)) end`.as(
        'bbox',
      ),
    ])
    .where('a.id', '=', allianceId)
    .executeTakeFirst();
  if (!alliance) return undefined;
  const members = await db
    .selectFrom('organization')
    .select(['id', 'name', 'sector', 'website'])
    .where('alliance_id', '=', allianceId)
    .where('member_role', 'is not', null)
    .orderBy('name')
    .orderBy('id')
    .execute();
  const signatories = await db
    .selectFrom('charter_signature as s')
    .leftJoin('organization as o', 'o.id', 's.organization_id')
    .select([
      's.signer_name as signerName',
      'o.name as organizationName',
      sql<string>`s.signed_on::text`.as('signedOn'),
    ])
    .where('s.alliance_id', '=', allianceId)
    .orderBy('s.signed_on')
    .orderBy('s.created_at')
    .orderBy('s.id')
    .execute();
  return {
    alliance: {
      slug: alliance.slug,
      name: alliance.name,
      country: alliance.country,
      description: alliance.description,
      vision: alliance.vision,
      charter: alliance.charter,
    },
    published: alliance.profile_published,
    members: members.map((member) => ({ ...member, website: webAddressOrNull(member.website) })),
    signatories,
    actions: await listActions(db, allianceId, { publishedOnly: true }),
    research: await publishedResearch(db, allianceId),
    bbox: alliance.bbox,
  };
}

export async function allianceOfRun(db: Kysely<Database>, runId: string): Promise<string | undefined> {
  const row = await db.selectFrom('gap_analysis_run').select('alliance_id').where('id', '=', runId).executeTakeFirst();
  return row?.alliance_id;
}

/** Shows a run on the profile or takes it off; only a finished run has results to show. */
export async function setRunPublished(
  trx: Transaction<Database>,
  runId: string,
  published: boolean,
): Promise<'updated' | 'missing' | 'unfinished'> {
  const run = await trx.selectFrom('gap_analysis_run').select('status').where('id', '=', runId).executeTakeFirst();
  if (!run) return 'missing';
  if (published && run.status !== 'done') return 'unfinished';
  await trx.updateTable('gap_analysis_run').set({ published }).where('id', '=', runId).execute();
  return 'updated';
}
