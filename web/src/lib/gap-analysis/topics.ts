/** The finer topics a run can measure; the same list as the server's taxonomy, which validates them. */
export const topicIds = [
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

/** "language_courses" → "Language courses". */
export function topicLabel(id: string): string {
  const words = id.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
