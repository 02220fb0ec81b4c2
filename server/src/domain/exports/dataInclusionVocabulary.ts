import type { CategoryId } from '../../db/schema.js';
import type { audiences, topics } from '#contract/taxonomy/categories.js';

type Topic = (typeof topics)[number];
type Audience = (typeof audiences)[number];

/**
 * Our topics as data·inclusion v1 `thematiques` (schemas/v1/extra/thematiques.json): the sub-themes a person looking
 * for that topic in a data·inclusion search would expect to find it under. Interpreting has no theme of its own there
 * and is left out rather than guessed.
 */
export const topicThematiques: Record<Topic, readonly string[]> = {
  information_counselling: [
    'difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives',
    'difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits',
  ],
  language_courses: ['lecture-ecriture-calcul--maitriser-le-francais'],
  interpreting: [],
  health: ['sante--acces-aux-soins'],
  housing: [
    'logement-hebergement--rechercher-une-solution-dhebergement-temporaire',
    'logement-hebergement--sinformer-sur-les-demarches-liees-a-lacces-au-logement',
  ],
  legal_aid: [
    'difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits',
    'difficultes-administratives-ou-juridiques--prendre-en-compte-une-problematique-judiciaire',
  ],
  employment: [
    'preparer-sa-candidature--organiser-ses-demarches-de-recherche-demploi',
    'trouver-un-emploi--repondre-a-des-offres-demploi',
  ],
  training: ['se-former--trouver-sa-formation'],
  childcare_family: ['famille--garde-denfants', 'famille--soutien-a-la-parentalite-et-a-leducation'],
  culture: ['remobilisation--activites-sportives-et-culturelles', 'remobilisation--lien-social'],
  sports: ['remobilisation--activites-sportives-et-culturelles'],
  mentoring: ['remobilisation--lien-social', 'remobilisation--bien-etre-confiance-en-soi'],
  // Community mediators accompany newcomers to the services they are entitled to.
  mediation: ['difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits'],
  food_essentials: ['equipement-et-alimentation--alimentation', 'equipement-et-alimentation--habillement'],
};

/** What a service of a category is filed under when none of its topics says more. */
export const categoryThematiques: Record<CategoryId, readonly string[]> = {
  social_action: ['difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits'],
  socio_cultural_sports: ['remobilisation--activites-sportives-et-culturelles'],
  professional_integration: ['preparer-sa-candidature--organiser-ses-demarches-de-recherche-demploi'],
};

/** Our audiences as data·inclusion `publics`: every group of newcomers is `personnes-exilees` there. */
export const audiencePublics: Record<Audience, string> = {
  asylum_seekers: 'personnes-exilees',
  refugees: 'personnes-exilees',
  undocumented: 'personnes-exilees',
  migrants: 'personnes-exilees',
  women: 'femmes',
  youth: 'jeunes',
  families: 'familles',
};

/** The data·inclusion service `type` a topic suggests; the first topic that suggests one wins. */
export const topicServiceTypes: Partial<Record<Topic, string>> = {
  language_courses: 'formation',
  training: 'formation',
  food_essentials: 'aide-materielle',
  culture: 'atelier',
  sports: 'atelier',
  information_counselling: 'information',
  legal_aid: 'accompagnement',
  housing: 'accompagnement',
  employment: 'accompagnement',
  mentoring: 'accompagnement',
  mediation: 'accompagnement',
  childcare_family: 'accompagnement',
  health: 'accompagnement',
  interpreting: 'accompagnement',
};

const distinct = (values: Iterable<string>) => [...new Set(values)];

/** The service's thematiques: those of its topics, else those of its category. */
export function thematiquesOf(category: CategoryId, serviceTopics: readonly string[]): string[] {
  const fromTopics = distinct(serviceTopics.flatMap((topic) => topicThematiques[topic as Topic] ?? []));
  return fromTopics.length > 0 ? fromTopics : [...categoryThematiques[category]];
}

/** The service's publics; null when it names no audience (data·inclusion wants at least one or nothing). */
export function publicsOf(serviceAudiences: readonly string[]): string[] | null {
  const publics = distinct(serviceAudiences.flatMap((audience) => audiencePublics[audience as Audience] ?? []));
  return publics.length > 0 ? publics : null;
}

export function serviceTypeOf(serviceTopics: readonly string[]): string | null {
  for (const topic of serviceTopics) {
    const type = topicServiceTypes[topic as Topic];
    if (type) return type;
  }
  return null;
}
