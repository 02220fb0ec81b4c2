import type { CategoryId } from '../../db/schema.js';
import { audiences, categories, topics } from '#contract/taxonomy/categories.js';
import { hsdsId } from './hsdsIds.js';

/** Which of a service's columns a taxonomy describes. */
export type TaxonomyKind = 'category' | 'topic' | 'audience';

export type HsdsTaxonomy = {
  id: string;
  name: string;
  description: string;
  version: string;
};

export type HsdsTaxonomyTerm = {
  id: string;
  code: string;
  name: string;
  description: string;
  taxonomy: string;
  taxonomy_id: string;
  language: string;
};

/** A term with what it means in our tables: the column it matches and the value there. */
export interface KnownTerm {
  kind: TaxonomyKind;
  code: string;
  term: HsdsTaxonomyTerm;
}

const taxonomyDefinitions: Record<TaxonomyKind, { name: string; description: string }> = {
  category: {
    name: 'Passerelle service categories',
    description:
      'The three categories of the partner lists of the alliances for the inclusion of migrants and refugees: ' +
      'social action, socio-cultural and sports, professional and economic integration. Every service has one.',
  },
  topic: {
    name: 'Passerelle service topics',
    description: 'Finer topics a service offers, across categories (language courses, housing, legal aid…).',
  },
  audience: {
    name: 'Passerelle service audiences',
    description: 'Groups of people a service is meant for (asylum seekers, refugees, women, youth…).',
  },
};

/** The three taxonomies; their ids are derived from fixed names, so they never change. */
export const hsdsTaxonomies: Record<TaxonomyKind, HsdsTaxonomy> = Object.fromEntries(
  Object.entries(taxonomyDefinitions).map(([kind, definition]) => [
    kind,
    { id: hsdsId('taxonomy', kind), ...definition, version: '1' },
  ]),
) as Record<TaxonomyKind, HsdsTaxonomy>;

/** "language_courses" → "Language courses". */
function labelOf(code: string): string {
  const words = code.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function knownTerm(kind: TaxonomyKind, code: string, name: string): KnownTerm {
  const taxonomy = hsdsTaxonomies[kind];
  return {
    kind,
    code,
    term: {
      id: hsdsId('taxonomy_term', kind, code),
      code,
      name,
      description: `${name}, a term of the ${taxonomy.name}.`,
      taxonomy: taxonomy.name,
      taxonomy_id: taxonomy.id,
      language: 'en',
    },
  };
}

/** Every term of the three taxonomies, categories first. */
export const knownTerms: readonly KnownTerm[] = [
  ...categories.map((category) => knownTerm('category', category.id, category.label)),
  ...topics.map((topic) => knownTerm('topic', topic, labelOf(topic))),
  ...audiences.map((audience) => knownTerm('audience', audience, labelOf(audience))),
];

const termsById = new Map(knownTerms.map((known) => [known.term.id, known]));
const termsByCode = new Map(knownTerms.map((known) => [`${known.kind}\u0000${known.code}`, known]));

export function findTermById(id: string): KnownTerm | undefined {
  return termsById.get(id);
}

/** The term of a value in a service's column; a topic or audience we do not know yet gets a term all the same. */
export function termOf(kind: TaxonomyKind, code: string): KnownTerm {
  return termsByCode.get(`${kind}\u0000${code}`) ?? knownTerm(kind, code, labelOf(code));
}

/** The terms a service carries: its category, then its topics, then its audiences. */
export function termsOfService(service: { category: CategoryId; topics: string[]; audiences: string[] }): KnownTerm[] {
  return [
    termOf('category', service.category),
    ...service.topics.map((topic) => termOf('topic', topic)),
    ...service.audiences.map((audience) => termOf('audience', audience)),
  ];
}
