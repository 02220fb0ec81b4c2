import type { CategoryId } from '../../../db/schema.js';
import { audiences, categoryIds, topics } from '#contract/taxonomy/categories.js';
import type { SourceTerm, TermTarget } from '../importRecord.js';
import { normalizedWords } from '../formats/cleanText.js';
import { publicTarget, serviceTypeTarget, thematiqueTarget } from './dataInclusionTerms.js';
import { freeTextTarget } from './freeTextTerms.js';

/** The category a service offering this topic most often belongs to, when no term names the category. */
export const topicHomeCategory: Record<(typeof topics)[number], CategoryId> = {
  information_counselling: 'social_action',
  language_courses: 'social_action',
  interpreting: 'social_action',
  health: 'social_action',
  housing: 'social_action',
  legal_aid: 'social_action',
  employment: 'professional_integration',
  training: 'professional_integration',
  childcare_family: 'social_action',
  culture: 'socio_cultural_sports',
  sports: 'socio_cultural_sports',
  mentoring: 'social_action',
  mediation: 'social_action',
  food_essentials: 'social_action',
};

/**
 * Vocabularies the readers name in `SourceTerm.vocabulary`: data·inclusion's own fields, and for free text the kind
 * of column it came from (a spreadsheet's category/topic column, its audience column). Anything else (an HSDS
 * taxonomy's name) is read as free text.
 */
export const vocabularies = {
  thematiques: 'thematiques',
  publics: 'publics',
  serviceType: 'type',
  category: 'category',
  audience: 'audience',
} as const;

/** A value written as one of Passerelle's own ids or their words (`language_courses`, "Language courses"). */
function ownIdTarget(value: string): TermTarget | null {
  const words = normalizedWords(value);
  const same = (id: string) => normalizedWords(id) === words;
  const category = categoryIds.find(same);
  if (category) return { kind: 'category', id: category };
  const topic = topics.find(same);
  if (topic) return { kind: 'topic', id: topic };
  const audience = audiences.find(same);
  return audience ? { kind: 'audience', id: audience } : null;
}

/** What Passerelle takes a source term as when nobody said otherwise; null: unmapped, listed in the preview. */
export function builtInTarget(term: SourceTerm): TermTarget | null {
  switch (term.vocabulary) {
    case vocabularies.thematiques:
      return thematiqueTarget(term.value);
    case vocabularies.publics:
      return publicTarget(term.value);
    case vocabularies.serviceType:
      return serviceTypeTarget(term.value);
    case vocabularies.audience:
      return ownIdTarget(term.value) ?? freeTextTarget(term.value, 'audience');
    default:
      return ownIdTarget(term.value) ?? freeTextTarget(term.value, 'topic');
  }
}

/** The key of `ReadOptions.vocabularyMapping`. */
export function termKey(term: SourceTerm): string {
  return `${term.vocabulary}:${term.value}`;
}

/** A person's mapping first, then the built-in one. */
export function termTarget(term: SourceTerm, overrides: Record<string, TermTarget> = {}): TermTarget | null {
  return overrides[termKey(term)] ?? builtInTarget(term);
}

export interface ClassifiedTerms {
  category: CategoryId | null;
  topics: string[];
  audiences: string[];
}

function isTopic(id: string): id is (typeof topics)[number] {
  return (topics as readonly string[]).includes(id);
}

/**
 * A service's category, topics and audiences from its source terms: the first category a term names, else the
 * category of its first topic; null when no term maps to either (the preview asks, or the import's default applies).
 */
export function classifyTerms(terms: SourceTerm[], overrides: Record<string, TermTarget> = {}): ClassifiedTerms {
  const named: CategoryId[] = [];
  const implied: CategoryId[] = [];
  const topicSet = new Set<string>();
  const audienceSet = new Set<string>();
  for (const term of terms) {
    const target = termTarget(term, overrides);
    if (!target) continue;
    if (target.kind === 'category' && categoryIds.includes(target.id)) named.push(target.id);
    if (target.kind === 'topic' && isTopic(target.id)) {
      topicSet.add(target.id);
      implied.push(target.category ?? topicHomeCategory[target.id]);
    }
    if (target.kind === 'audience' && (audiences as readonly string[]).includes(target.id)) audienceSet.add(target.id);
  }
  return { category: named[0] ?? implied[0] ?? null, topics: [...topicSet], audiences: [...audienceSet] };
}
