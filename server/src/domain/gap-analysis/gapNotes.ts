import type { MessageParams } from '../messages/userError.js';

/**
 * The notes a gap analysis's summary gives, by code, in English: a page says each code in its reader's language,
 * a script reads the English beside it. Each is derived from the summary's own figures, so runs stored before the
 * notes had codes get them too.
 */
export const gapNoteTexts = {
  'gap.note.counts-nobody':
    'This run counts nobody: no area has a population, so no area can be flagged and "supply per 10,000" is empty. ' +
    'Import a population grid (Settings, Population) to measure where people lack services; the distances and counts ' +
    'below need no population.',
  'gap.note.distances':
    "Distances are straight-line geodesic distances on the WGS84 ellipsoid from each area's population-weighted centre, not travel times.",
  'gap.note.scores':
    'Scores are 2SFCA (Luo & Wang 2003) and E2SFCA (Luo & Qi 2009) accessibility per 10,000 inhabitants: the supply of each service location is its service\'s capacity (places, staff hours…), 1 when it gives none. "Within reach" and "supply per 10,000" count services, whatever their capacity.',
  'gap.note.town-precision-clusters':
    'Some locations are known at town level only: services of different organisations in the same town share ' +
    'one point, so these clusters show partners working in the same town, not proven duplication.',
  'gap.note.missing-actors-by-category':
    'Checked by service category only. Missing sectors by type of organisation (public authorities, NGOs, ' +
    'migrant associations, mediators) are shown in the workspace: Register, "Sector balance".',
} as const;

export type GapNoteCode = keyof typeof gapNoteTexts;

export interface GapNote {
  code: GapNoteCode;
  params: MessageParams;
}

const note = (code: GapNoteCode): GapNote => ({ code, params: {} });

/** The method notes of a run, after the warning that it counts nobody when no area has people. */
export function methodNoteCodes(totalPopulation: number): GapNote[] {
  const method = [note('gap.note.distances'), note('gap.note.scores')];
  return totalPopulation > 0 ? method : [note('gap.note.counts-nobody'), ...method];
}

export const townPrecisionNote = note('gap.note.town-precision-clusters');
export const missingActorsNote = note('gap.note.missing-actors-by-category');

/** A note's English sentence. */
export function gapNoteText(item: GapNote): string {
  return gapNoteTexts[item.code];
}
