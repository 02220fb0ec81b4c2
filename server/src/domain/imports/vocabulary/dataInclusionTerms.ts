import type { TermTarget } from '../importRecord.js';

/**
 * data·inclusion's `thematiques` (schema v1, `extra/thematiques.json`, and the v0 names still found in older
 * extracts), read by their theme — the part before `--` — unless the sub-theme says something finer. A sub-theme
 * that a newer schema adds is thereby still understood.
 */
const themes: Record<string, TermTarget> = {
  // v1 themes
  'choisir-un-metier': { kind: 'topic', id: 'employment', category: 'professional_integration' },
  'creer-une-entreprise': { kind: 'topic', id: 'employment', category: 'professional_integration' },
  'difficultes-administratives-ou-juridiques': { kind: 'topic', id: 'legal_aid', category: 'social_action' },
  'difficultes-financieres': { kind: 'topic', id: 'information_counselling', category: 'social_action' },
  'equipement-et-alimentation': { kind: 'topic', id: 'food_essentials', category: 'social_action' },
  famille: { kind: 'topic', id: 'childcare_family', category: 'social_action' },
  'lecture-ecriture-calcul': { kind: 'topic', id: 'language_courses', category: 'social_action' },
  'logement-hebergement': { kind: 'topic', id: 'housing', category: 'social_action' },
  mobilite: { kind: 'category', id: 'professional_integration' },
  numerique: { kind: 'topic', id: 'training', category: 'social_action' },
  'preparer-sa-candidature': { kind: 'topic', id: 'employment', category: 'professional_integration' },
  remobilisation: { kind: 'topic', id: 'mentoring', category: 'social_action' },
  sante: { kind: 'topic', id: 'health', category: 'social_action' },
  'se-former': { kind: 'topic', id: 'training', category: 'professional_integration' },
  'souvrir-a-linternational': { kind: 'topic', id: 'employment', category: 'professional_integration' },
  'trouver-un-emploi': { kind: 'topic', id: 'employment', category: 'professional_integration' },
  // v0 themes
  'acces-aux-droits-et-citoyennete': { kind: 'topic', id: 'legal_aid', category: 'social_action' },
  'accompagnement-social-et-professionnel-personnalise': { kind: 'topic', id: 'mentoring', category: 'social_action' },
  'apprendre-francais': { kind: 'topic', id: 'language_courses', category: 'social_action' },
  'creation-activite': { kind: 'topic', id: 'employment', category: 'professional_integration' },
  'gestion-financiere': { kind: 'topic', id: 'information_counselling', category: 'social_action' },
  handicap: { kind: 'category', id: 'social_action' },
  illettrisme: { kind: 'topic', id: 'language_courses', category: 'social_action' },
};

const subThemes: Record<string, TermTarget> = {
  'difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives': {
    kind: 'topic',
    id: 'information_counselling',
    category: 'social_action',
  },
  'lecture-ecriture-calcul--maitriser-le-calcul': { kind: 'topic', id: 'training', category: 'social_action' },
  'remobilisation--activites-sportives-et-culturelles': {
    kind: 'topic',
    id: 'culture',
    category: 'socio_cultural_sports',
  },
  'remobilisation--benevolat-action-citoyenne': { kind: 'category', id: 'socio_cultural_sports' },
  'remobilisation--lien-social': { kind: 'topic', id: 'mediation', category: 'socio_cultural_sports' },
  'remobilisation--decouvrir-son-potentiel-via-le-sport-et-la-culture': {
    kind: 'topic',
    id: 'culture',
    category: 'socio_cultural_sports',
  },
  'apprendre-francais--accompagnement-insertion-pro': {
    kind: 'topic',
    id: 'language_courses',
    category: 'professional_integration',
  },
  'accompagnement-social-et-professionnel-personnalise--definition-du-projet-professionnel': {
    kind: 'topic',
    id: 'mentoring',
    category: 'professional_integration',
  },
  'acces-aux-droits-et-citoyennete--accompagnement-dans-les-demarches-administratives': {
    kind: 'topic',
    id: 'information_counselling',
    category: 'social_action',
  },
  'famille--garde-denfants': { kind: 'topic', id: 'childcare_family', category: 'social_action' },
};

export function thematiqueTarget(value: string): TermTarget | null {
  const [theme = ''] = value.split('--');
  return subThemes[value] ?? themes[theme] ?? null;
}

/**
 * `publics` (v1) and `profils` (v0). Groups without a counterpart in Passerelle's audiences (which name the people
 * the alliances work with) are ignored rather than listed as unknown; a person can still map them in the preview.
 */
const publics: Record<string, TermTarget> = {
  familles: { kind: 'audience', id: 'families' },
  'familles-enfants': { kind: 'audience', id: 'families' },
  femmes: { kind: 'audience', id: 'women' },
  jeunes: { kind: 'audience', id: 'youth' },
  'jeunes-16-26': { kind: 'audience', id: 'youth' },
  'personnes-exilees': { kind: 'audience', id: 'refugees' },
  'personnes-de-nationalite-etrangere': { kind: 'audience', id: 'migrants' },
  'public-langues-etrangeres': { kind: 'audience', id: 'migrants' },
};

const publicsWithoutCounterpart = [
  // v1
  'actifs',
  'beneficiaires-des-minimas-sociaux',
  'demandeurs-emploi',
  'etudiants',
  'personnes-en-situation-de-handicap',
  'personnes-en-situation-durgence',
  'residents-qpv-frr',
  'seniors',
  'tous-publics',
  // v0
  'adultes',
  'alternants',
  'beneficiaires-rsa',
  'deficience-visuelle',
  'demandeurs-demploi',
  'habitants-qpv',
  'locataires',
  'personnes-handicapees',
  'personnes-en-situation-illettrisme',
  'proprietaires',
  'retraites',
  'salaries',
  'sans-domicile-fixe',
  'seniors-65',
  'sortants-de-detention',
  'surdite',
  'victimes',
];

export function publicTarget(value: string): TermTarget | null {
  if (publics[value]) return publics[value];
  return publicsWithoutCounterpart.includes(value) ? { kind: 'ignore' } : null;
}

/** `type` (v1) and `types` (v0): only a training says something Passerelle keeps. */
export function serviceTypeTarget(value: string): TermTarget | null {
  if (value === 'formation') return { kind: 'topic', id: 'training' };
  const known = ['accompagnement', 'aide-financiere', 'aide-materielle', 'atelier', 'information', 'autonomie'];
  return known.includes(value) || ['delegation', 'financement', 'numerique'].includes(value)
    ? { kind: 'ignore' }
    : null;
}
