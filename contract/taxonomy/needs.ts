import type { CategoryId } from '../../server/src/db/schema.js';
import type { audiences, topics } from './categories.js';

export type Topic = (typeof topics)[number];
export type Audience = (typeof audiences)[number];

/**
 * What a newcomer asks for, in plain words, mapped onto the guide's three
 * categories and finer topics. The server (the `need` filter of the service
 * APIs) and the finder page both read this one list, so a need means the same
 * thing everywhere. The words people see live in the finder's message files
 * under `need.<id>`, so that translators can edit them.
 *
 * A service meets a need when it offers one of the need's topics, or when it
 * belongs to one of the need's categories. Categories are there for the many
 * services whose topics are not recorded yet.
 */
export interface Need {
  id: string;
  topics: readonly Topic[];
  categories: readonly CategoryId[];
}

export const needs = [
  { id: 'language', topics: ['language_courses'], categories: [] },
  { id: 'work', topics: ['employment', 'training', 'mentoring'], categories: ['professional_integration'] },
  { id: 'health', topics: ['health'], categories: [] },
  { id: 'housing', topics: ['housing'], categories: [] },
  { id: 'papers', topics: ['legal_aid'], categories: [] },
  { id: 'advice', topics: ['information_counselling', 'interpreting', 'mediation'], categories: ['social_action'] },
  { id: 'people', topics: ['culture', 'sports'], categories: ['socio_cultural_sports'] },
  { id: 'family', topics: ['childcare_family'], categories: [] },
  { id: 'food', topics: ['food_essentials'], categories: [] },
] as const satisfies readonly Need[];

export type NeedId = (typeof needs)[number]['id'];

export const needIds = needs.map((need) => need.id);

export function findNeed(id: string): Need | undefined {
  return needs.find((need) => need.id === id);
}

/** Whether a service with this category and these topics meets the need. */
export function serviceMeetsNeed(need: Need, service: { category: string; topics: readonly string[] }): boolean {
  return (
    need.categories.some((category) => category === service.category) ||
    need.topics.some((topic) => service.topics.includes(topic))
  );
}

/**
 * The audiences a newcomer can filter on, as the finder offers them. Each is a
 * group a service says it welcomes; "no papers needed" is a service open to
 * people without a residence permit.
 */
export const finderAudiences = ['women', 'youth', 'families', 'undocumented'] as const satisfies readonly Audience[];
