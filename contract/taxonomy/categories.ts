import type { CategoryId } from '../../server/src/db/schema.js';

export interface Category {
  id: CategoryId;
  label: string;
  /** Colour on the map; chosen to stay distinguishable with the common colour-vision deficiencies. */
  color: string;
}

/** The three service categories the guide's partner lists use. */
export const categories: readonly Category[] = [
  { id: 'social_action', label: 'Social action', color: '#0072b2' },
  { id: 'socio_cultural_sports', label: 'Socio-cultural & sports', color: '#e69f00' },
  { id: 'professional_integration', label: 'Professional & economic integration', color: '#009e73' },
];

export const categoryIds = categories.map((category) => category.id);

/** Finer topics a service can offer, across categories. */
export const topics = [
  'information_counselling',
  'language_courses',
  'interpreting',
  'health',
  'housing',
  'legal_aid',
  'employment',
  'training',
  'childcare_family',
  'culture',
  'sports',
  'mentoring',
  'mediation',
  'food_essentials',
] as const;

/** Groups of people a service is meant for. */
export const audiences = [
  'asylum_seekers',
  'refugees',
  'undocumented',
  'migrants',
  'women',
  'youth',
  'families',
] as const;
