import type { CategoryId } from '../../../db/schema.js';
import type { TermTarget } from '../importRecord.js';
import { normalizedWords } from '../formats/cleanText.js';

/** Names of the three categories as partners write them (English, French, German, Spanish, Italian). */
const categoryNames: [CategoryId, string[]][] = [
  [
    'social_action',
    [
      'social action',
      'social',
      'action sociale',
      'social care',
      'social inclusion',
      'inclusion sociale',
      'sozialarbeit',
      'accion social',
      'azione sociale',
    ],
  ],
  [
    'socio_cultural_sports',
    [
      'socio cultural sports',
      'socio cultural',
      'socio cultural and sports',
      'socio culturel',
      'socioculturel',
      'socio culturel et sportif',
      'culture et sport',
      'culture sport',
      'culture and sport',
      'sport and culture',
      'kultur und sport',
      'cultura y deporte',
      'cultura e sport',
    ],
  ],
  [
    'professional_integration',
    [
      'professional integration',
      'professional economic integration',
      'professional and economic integration',
      'economic integration',
      'insertion professionnelle',
      'integration professionnelle',
      'insertion socio professionnelle',
      'emploi et formation',
      'employment and training',
      'berufliche integration',
      'insercion laboral',
      'inserimento lavorativo',
    ],
  ],
];

/**
 * Words and phrases of free text (a spreadsheet's "Category" or "Type of service" cell, an HSDS taxonomy term's
 * name) that say a topic; the more specific ones first, so that "cours de français" is a language course before
 * "cours" could be training. Matched as whole words, accents and case aside.
 */
const topicWords: [string, string[]][] = [
  [
    'language_courses',
    [
      'cours de francais',
      'fle',
      'francais langue etrangere',
      'apprendre le francais',
      'apprentissage du francais',
      'apprentissage de la langue',
      'atelier sociolinguistique',
      'asl',
      'alphabetisation',
      'language class',
      'language classes',
      'language course',
      'language courses',
      'english class',
      'english classes',
      'esol',
      'english language',
      'learn english',
      'sprachkurs',
      'deutschkurs',
      'integrationskurs',
      'taalcursus',
      'taalles',
      'nederlandse les',
      'svenska for invandrare',
      'sfi',
      'clases de espanol',
      'curso de espanol',
      'corso di italiano',
      'corsi di italiano',
      'corsi di lingua',
    ],
  ],
  [
    'interpreting',
    [
      'interprete',
      'interpretes',
      'interpretariat',
      'interpreter',
      'interpreters',
      'interpreting',
      'translation',
      'traduction',
      'dolmetscher',
      'dolmetschen',
      'traduccion',
      'traduzione',
    ],
  ],
  ['language_courses', ['language', 'languages', 'langue', 'langues', 'sprache', 'idioma', 'lingua']],
  [
    'legal_aid',
    [
      'juridique',
      'aide juridique',
      'acces aux droits',
      'acces au droit',
      'droit des etrangers',
      'avocat',
      'titre de sejour',
      'regularisation',
      'legal',
      'legal aid',
      'legal advice',
      'law',
      'lawyer',
      'immigration advice',
      'rechtsberatung',
      'asesoria juridica',
      'asistencia juridica',
      'assistenza legale',
      'consulenza legale',
    ],
  ],
  [
    'housing',
    [
      'logement',
      'hebergement',
      'housing',
      'accommodation',
      'shelter',
      'homeless',
      'homelessness',
      'wohnen',
      'wohnung',
      'unterkunft',
      'vivienda',
      'alojamiento',
      'alloggio',
      'abitazione',
    ],
  ],
  [
    'health',
    [
      'sante',
      'sante mentale',
      'soins',
      'medical',
      'medecin',
      'health',
      'mental health',
      'healthcare',
      'gp',
      'doctor',
      'clinic',
      'gesundheit',
      'salud',
      'salute',
    ],
  ],
  [
    'employment',
    [
      'emploi',
      'recherche d emploi',
      'job',
      'jobs',
      'employment',
      'work',
      'travail',
      'career',
      'careers',
      'arbeit',
      'beschaftigung',
      'empleo',
      'trabajo',
      'lavoro',
      'occupazione',
    ],
  ],
  [
    'training',
    [
      'formation',
      'formations',
      'training',
      'education',
      'numerique',
      'digital',
      'informatique',
      'computer',
      'ausbildung',
      'weiterbildung',
      'bildung',
      'formacion',
      'formazione',
    ],
  ],
  [
    'childcare_family',
    [
      'famille',
      'familles',
      'family',
      'families',
      'childcare',
      'garde d enfants',
      'creche',
      'parentalite',
      'parenting',
      'familie',
      'kinderbetreuung',
      'familia',
      'famiglia',
    ],
  ],
  ['culture', ['culture', 'culturel', 'cultural', 'arts', 'music', 'musique', 'theatre', 'kultur', 'cultura']],
  ['sports', ['sport', 'sports', 'football', 'soccer', 'gaa', 'fitness', 'deporte', 'deportes', 'sportivo']],
  [
    'mentoring',
    [
      'mentorat',
      'mentoring',
      'mentor',
      'parrainage',
      'tutorat',
      'befriending',
      'patenschaft',
      'mentoria',
      'tutoraggio',
    ],
  ],
  ['mediation', ['mediation', 'mediateur', 'lien social', 'community', 'mediacion', 'mediazione']],
  [
    'food_essentials',
    [
      'alimentaire',
      'aide alimentaire',
      'alimentation',
      'banque alimentaire',
      'epicerie sociale',
      'vetements',
      'food',
      'food bank',
      'clothes',
      'clothing',
      'essentials',
      'lebensmittel',
      'tafel',
      'alimentos',
      'comida',
      'cibo',
    ],
  ],
  [
    'information_counselling',
    [
      'information',
      'informations',
      'conseil',
      'orientation',
      'accueil',
      'permanence',
      'demarches administratives',
      'counselling',
      'counseling',
      'advice',
      'guidance',
      'citizens information',
      'beratung',
      'asesoramiento',
      'orientacion',
      'consulenza',
      'informazioni',
    ],
  ],
];

const audienceWords: [string, string[]][] = [
  [
    'asylum_seekers',
    [
      'demandeur d asile',
      'demandeurs d asile',
      'asylum seeker',
      'asylum seekers',
      'international protection applicants',
      'ipas',
      'asylbewerber',
      'asylsuchende',
      'solicitantes de asilo',
      'richiedenti asilo',
    ],
  ],
  [
    'refugees',
    [
      'refugie',
      'refugies',
      'refugee',
      'refugees',
      'beneficiaires de la protection internationale',
      'bpi',
      'exiles',
      'personnes exilees',
      'fluchtlinge',
      'gefluchtete',
      'refugiados',
      'rifugiati',
    ],
  ],
  [
    'undocumented',
    ['sans papiers', 'undocumented', 'irregular migrants', 'ohne papiere', 'sin papeles', 'senza documenti'],
  ],
  [
    'migrants',
    [
      'migrant',
      'migrants',
      'immigrant',
      'immigrants',
      'immigres',
      'etrangers',
      'primo arrivants',
      'primo arrivant',
      'newcomers',
      'newcomer',
      'migranten',
      'zugewanderte',
      'migrantes',
      'migranti',
    ],
  ],
  ['women', ['femme', 'femmes', 'women', 'woman', 'frauen', 'mujeres', 'donne']],
  [
    'youth',
    [
      'jeune',
      'jeunes',
      'mineurs',
      'mna',
      'youth',
      'young people',
      'teenagers',
      'unaccompanied minors',
      'jugendliche',
      'jovenes',
      'giovani',
    ],
  ],
  ['families', ['famille', 'familles', 'family', 'families', 'familien', 'familias', 'famiglie']],
];

function matches(words: string, phrase: string): boolean {
  return ` ${words} `.includes(` ${phrase} `);
}

function firstMatch(words: string, table: [string, string[]][]): string | null {
  return table.find(([, phrases]) => phrases.some((phrase) => matches(words, phrase)))?.[0] ?? null;
}

/**
 * What a free-text value says, if anything: a category named as such, a topic, or a group of people. `prefer` is
 * what the column is about: an "Audience" column's "Families" is an audience, a "Service type" column's a topic.
 */
export function freeTextTarget(value: string, prefer: 'topic' | 'audience' = 'topic'): TermTarget | null {
  const words = normalizedWords(value);
  if (words === '') return null;
  const category = categoryNames.find(([, names]) => names.includes(words))?.[0];
  if (category) return { kind: 'category', id: category };
  const topic = (): TermTarget | null => {
    const id = firstMatch(words, topicWords);
    return id ? { kind: 'topic', id } : null;
  };
  const audience = (): TermTarget | null => {
    const id = firstMatch(words, audienceWords);
    return id ? { kind: 'audience', id } : null;
  };
  return prefer === 'audience' ? (audience() ?? topic()) : (topic() ?? audience());
}
