import { normalizedWords } from './cleanText.js';

/**
 * The Passerelle fields a spreadsheet column can fill, with the headers that usually mean them, in French, English,
 * German, Spanish and Italian (compared without accents or case). `secondary` headers are taken only when no
 * column has a primary one (a "County" column is the town only when no "Town" column exists).
 */
export const spreadsheetFields = [
  {
    id: 'service.id',
    label: 'Id in the source',
    primary: ['id', 'identifiant', 'identifier', 'reference', 'ref', 'kennung', 'identificador', 'identificativo'],
    secondary: ['code', 'numero', 'no'],
  },
  {
    id: 'organization.name',
    label: 'Organisation',
    primary: [
      'organisation',
      'organization',
      'organisation name',
      'organization name',
      'name of organisation',
      'structure',
      'nom de la structure',
      'nom structure',
      'nom de l organisme',
      'organisme',
      'association',
      'provider',
      'service provider',
      'porteur',
      'operateur',
      'trager',
      'traeger',
      'einrichtung',
      'organisation',
      'organizacion',
      'entidad',
      'organizzazione',
      'ente',
    ],
    secondary: [],
  },
  {
    id: 'organization.siret',
    label: 'SIRET',
    primary: ['siret', 'numero siret', 'n siret', 'no siret'],
    secondary: [],
  },
  {
    id: 'organization.website',
    label: 'Organisation website',
    primary: ['site de la structure', 'organisation website', 'organization website', 'site web de la structure'],
    secondary: [],
  },
  {
    id: 'service.name',
    label: 'Service name',
    primary: [
      'nom',
      'name',
      'nom du service',
      'service',
      'service name',
      'intitule',
      'titre',
      'title',
      'nombre',
      'nome',
      'bezeichnung',
      'angebot',
      'nombre del servicio',
      'nome del servizio',
    ],
    secondary: [],
  },
  {
    id: 'service.description',
    label: 'Description',
    primary: [
      'description',
      'descriptif',
      'presentation',
      'details',
      'summary',
      'beschreibung',
      'descripcion',
      'descrizione',
    ],
    secondary: ['resume', 'notes', 'remarques', 'comments'],
  },
  {
    id: 'service.category',
    label: 'Category or topic',
    primary: [
      'categorie',
      'categories',
      'category',
      'theme',
      'themes',
      'thematique',
      'thematiques',
      'topic',
      'topics',
      'type of service',
      'service type',
      'type de service',
      'kategorie',
      'thema',
      'themen',
      'categoria',
      'tema',
      'tipo de servicio',
      'tipo di servizio',
    ],
    secondary: ['type', 'domaine', 'secteur', 'sector', 'tipo', 'bereich'],
  },
  {
    id: 'service.audiences',
    label: 'Audience',
    primary: [
      'public',
      'publics',
      'public cible',
      'audience',
      'target group',
      'target audience',
      'for whom',
      'zielgruppe',
      'publico',
      'destinatari',
      'beneficiaires',
      'eligible groups',
      'publico objetivo',
    ],
    secondary: [],
  },
  {
    id: 'service.languages',
    label: 'Languages',
    primary: [
      'langues',
      'langue',
      'languages',
      'language',
      'languages spoken',
      'langues parlees',
      'sprachen',
      'sprache',
      'idiomas',
      'lingue',
    ],
    secondary: [],
  },
  {
    id: 'service.free',
    label: 'Free of charge',
    primary: ['gratuit', 'gratuite', 'free', 'free of charge', 'cost', 'kostenlos', 'gratis', 'gratuito', 'cout'],
    secondary: ['tarif', 'prix', 'price', 'payant'],
  },
  {
    id: 'service.feesDescription',
    label: 'Fees',
    primary: ['frais', 'fees', 'fee details', 'precisions frais', 'kosten', 'costes', 'costi', 'tarifs'],
    secondary: [],
  },
  {
    id: 'service.eligibilityDescription',
    label: 'Eligibility',
    primary: [
      'conditions',
      'conditions d acces',
      'eligibility',
      'criteres',
      'requirements',
      'pre requis',
      'prerequis',
      'voraussetzungen',
      'requisitos',
      'requisiti',
    ],
    secondary: [],
  },
  {
    id: 'service.capacity',
    label: 'Capacity',
    primary: [
      'capacity',
      'capacite',
      'capacite d accueil',
      'places',
      'nombre de places',
      'nb places',
      'nb de places',
      'places disponibles',
      'kapazitat',
      'kapazitaet',
      'platze',
      'plaetze',
      'capacidad',
      'plazas',
      'capacita',
      'posti',
    ],
    secondary: [],
  },
  {
    id: 'service.capacityUnit',
    label: 'Capacity unit',
    primary: ['capacity unit', 'unit of capacity', 'unite de capacite', 'unite', 'unit', 'einheit', 'unidad', 'unita'],
    secondary: [],
  },
  {
    id: 'service.openingHours',
    label: 'Opening hours',
    primary: [
      'horaires',
      'horaires d ouverture',
      'horaires d accueil',
      'opening hours',
      'hours',
      'opening times',
      'offnungszeiten',
      'oeffnungszeiten',
      'horario',
      'horarios',
      'orari',
      'orario',
    ],
    secondary: [],
  },
  {
    id: 'service.phone',
    label: 'Phone',
    primary: [
      'telephone',
      'tel',
      'phone',
      'phone number',
      'telephone number',
      'contact phone',
      'telefon',
      'telefono',
      'numero de telephone',
    ],
    secondary: ['mobile', 'portable'],
  },
  {
    id: 'service.email',
    label: 'E-mail',
    primary: ['courriel', 'email', 'e mail', 'mail', 'adresse mail', 'email address', 'correo', 'correo electronico'],
    secondary: [],
  },
  {
    id: 'service.url',
    label: 'Web address',
    primary: [
      'site',
      'site web',
      'site internet',
      'website',
      'web',
      'url',
      'web site',
      'link',
      'lien',
      'webseite',
      'sitio web',
      'sito',
      'sito web',
      'homepage',
    ],
    secondary: [],
  },
  {
    id: 'location.name',
    label: 'Place name',
    primary: ['lieu', 'nom du lieu', 'venue', 'location', 'location name', 'standort', 'lugar', 'luogo', 'sede'],
    secondary: [],
  },
  {
    id: 'location.address',
    label: 'Address',
    primary: [
      'adresse',
      'address',
      'rue',
      'street',
      'address line 1',
      'address 1',
      'adresse postale',
      'street address',
      'strasse',
      'anschrift',
      'direccion',
      'indirizzo',
    ],
    secondary: ['via'],
  },
  {
    id: 'location.postalCode',
    label: 'Postal code',
    primary: [
      'code postal',
      'cp',
      'postcode',
      'post code',
      'postal code',
      'zip',
      'zip code',
      'eircode',
      'plz',
      'postleitzahl',
      'codigo postal',
      'cap',
      'codice postale',
    ],
    secondary: [],
  },
  {
    id: 'location.city',
    label: 'Town',
    primary: [
      'ville',
      'commune',
      'town',
      'city',
      'town city',
      'localite',
      'ort',
      'stadt',
      'gemeinde',
      'ciudad',
      'municipio',
      'localidad',
      'citta',
      'comune',
    ],
    secondary: ['county', 'departement', 'region', 'provincia', 'landkreis'],
  },
  { id: 'location.country', label: 'Country', primary: ['pays', 'country', 'land', 'pais', 'paese'], secondary: [] },
  {
    id: 'location.lat',
    label: 'Latitude',
    primary: ['latitude', 'lat', 'breitengrad', 'latitud', 'latitudine'],
    secondary: ['y'],
  },
  {
    id: 'location.lon',
    label: 'Longitude',
    primary: ['longitude', 'lon', 'lng', 'long', 'langengrad', 'laengengrad', 'longitud', 'longitudine'],
    secondary: ['x'],
  },
] as const;

export type SpreadsheetFieldId = (typeof spreadsheetFields)[number]['id'];

export const availableSpreadsheetFields = spreadsheetFields.map(({ id, label }) => ({ id, label }));

export function isSpreadsheetField(id: string): id is SpreadsheetFieldId {
  return spreadsheetFields.some((field) => field.id === id);
}

/** How well a header means a field: an exact primary header beats a phrase inside it, the longer phrase winning. */
function scoreOf(header: string, field: (typeof spreadsheetFields)[number]): number {
  const words = normalizedWords(header);
  if (words === '') return 0;
  const score = (synonyms: readonly string[], exact: number, containedWeight: number) => {
    let best = 0;
    for (const synonym of synonyms) {
      if (synonym === words) best = Math.max(best, exact);
      else if (` ${words} `.includes(` ${synonym} `)) best = Math.max(best, synonym.length * containedWeight);
    }
    return best;
  };
  return Math.max(score(field.primary, 1000, 1), score(field.secondary, 500, 0.1));
}

/** The field each header most likely fills (null: none); no field is given to two columns. */
export function guessFields(headers: string[]): (SpreadsheetFieldId | null)[] {
  const guesses = headers.map((header) => {
    let best: { id: SpreadsheetFieldId; score: number } | null = null;
    for (const field of spreadsheetFields) {
      const score = scoreOf(header, field);
      if (score > 0 && (!best || score > best.score)) best = { id: field.id, score };
    }
    return best;
  });
  return guesses.map((guess, column) => {
    if (!guess) return null;
    const better = guesses.some(
      (other, otherColumn) =>
        other &&
        other.id === guess.id &&
        (other.score > guess.score || (other.score === guess.score && otherColumn < column)),
    );
    return better ? null : guess.id;
  });
}
