import type { AreaScope, OrganizationIdentifier, ServiceStatus } from '../../../db/schema.js';
import type {
  ImportItem,
  ImportedLocation,
  ImportedOrganization,
  ImportedService,
  RecordPlace,
  SourceTerm,
} from '../importRecord.js';
import { classifyTerms, vocabularies } from '../vocabulary/termTargets.js';
import { descriptionText, textOrNull } from './cleanText.js';
import { coordinatesOf, metropolitanFrance } from './coordinates.js';
import { openingHoursSchedule } from './openingHoursSchedules.js';
import { ownString, RecordProblems, type ReadingState } from './readingState.js';
import { said } from '../../messages/userError.js';

/**
 * data·inclusion structures and services (schema v1, and the v0 field names still found in older extracts) as
 * import records. The same functions read JSON and CSV: a CSV cell holding a list (`thematiques`) is a JSON array
 * or values separated by commas.
 */

type Raw = Record<string, unknown>;

/** Field names of data·inclusion, v1 and v0: a CSV whose header holds mostly these is a data·inclusion file. */
export const dataInclusionFields = new Set([
  'id',
  'source',
  'structure_id',
  'nom',
  'description',
  'date_maj',
  'siret',
  'rna',
  'adresse',
  'complement_adresse',
  'commune',
  'code_postal',
  'code_insee',
  'latitude',
  'longitude',
  'telephone',
  'courriel',
  'site_web',
  'lien_source',
  'horaires_accueil',
  'accessibilite_lieu',
  'reseaux_porteurs',
  'thematiques',
  'publics',
  'publics_precisions',
  'type',
  'frais',
  'frais_precisions',
  'conditions_acces',
  'contact_nom_prenom',
  'lien_mobilisation',
  'mobilisable_par',
  'mobilisation_precisions',
  'modes_accueil',
  'modes_mobilisation',
  'nombre_semaines',
  'volume_horaire_hebdomadaire',
  'zone_eligibilite',
  // v0
  'typologie',
  'presentation_resume',
  'presentation_detail',
  'antenne',
  'horaires_ouverture',
  'accessibilite',
  'labels_nationaux',
  'labels_autres',
  'profils',
  'types',
  'pre_requis',
  'justificatifs',
  'cumulable',
  'formulaire_en_ligne',
  'recurrence',
  'date_creation',
  'date_suspension',
  'contact_public',
  'frais_autres',
  'prise_rdv',
  'page_web',
  'zone_diffusion_type',
  'zone_diffusion_code',
  'zone_diffusion_nom',
  'modes_orientation_accompagnateur',
  'modes_orientation_beneficiaire',
]);

/** Fields only a service has; a record with one of them is a service, else a structure. */
export const serviceOnlyFields = ['structure_id', 'thematiques', 'publics', 'profils', 'frais', 'types', 'type'];

export function isDataInclusionService(raw: Raw): boolean {
  return serviceOnlyFields.some((field) => field in raw);
}

/** A list field: a JSON array, or in a CSV cell a JSON array or values separated by commas, semicolons or bars. */
export function listOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((item) => textOrNull(item)).filter((item): item is string => !!item);
  const text = textOrNull(value);
  if (text === null) return [];
  if (text.startsWith('[')) {
    try {
      return listOf(JSON.parse(text));
    } catch {
      // Not JSON after all: read as separated values.
    }
  }
  return text
    .split(/[,;|]/)
    .map((item) => item.trim().replace(/^["']|["']$/g, ''))
    .filter((item) => item !== '');
}

function dateOrNull(value: unknown): string | null {
  const text = textOrNull(value);
  if (text === null) return null;
  const time = Date.parse(text);
  return Number.isNaN(time) ? null : /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : new Date(time).toISOString();
}

function joined(...parts: (string | null)[]): string | null {
  const present = parts.filter((part): part is string => !!part);
  return present.length > 0 ? present.join('\n\n') : null;
}

function first(raw: Raw, ...fields: string[]): unknown {
  for (const field of fields) {
    const value = raw[field];
    if (value !== null && value !== undefined && value !== '') return value;
  }
  return null;
}

const structureLocationId = (id: string) => `structure:${id}`;
const serviceLocationId = (id: string) => `service:${id}`;

/** What the services of a structure take from it when they lack their own: its place and its opening hours. */
export interface StructureMemory {
  hasLocation: boolean;
  openingHours: unknown;
}

function locationOf(
  raw: Raw,
  place: RecordPlace,
  sourceId: string,
  organizationSourceId: string | null,
  name: string | null,
  problems: RecordProblems,
): ImportedLocation | null {
  const address1 = joined(textOrNull(raw.adresse), textOrNull(raw.complement_adresse))?.replace(/\n\n/g, ', ') ?? null;
  const city = textOrNull(raw.commune);
  const postalCode = textOrNull(raw.code_postal);
  const hasCoordinates = textOrNull(raw.latitude) !== null || textOrNull(raw.longitude) !== null;
  if (!address1 && !city && !postalCode && !hasCoordinates) return null;
  const coordinates = coordinatesOf(raw.latitude, raw.longitude, metropolitanFrance);
  if (coordinates.problem) problems.warning(coordinates.problem.field, coordinates.problem.message);
  return {
    place: { ...place, sourceId },
    sourceId,
    organizationSourceId,
    name,
    description: null,
    address1,
    city,
    postalCode,
    country: 'FR',
    lat: coordinates.lat,
    lon: coordinates.lon,
    accessibility: textOrNull(first(raw, 'accessibilite_lieu', 'accessibilite')),
    sourceUpdatedAt: dateOrNull(raw.date_maj),
  };
}

/** The id, or an error item when the record has none or repeats one; null id means: yield only the problems. */
function identify(raw: Raw, kind: string, place: RecordPlace, state: ReadingState, problems: RecordProblems) {
  const id = textOrNull(raw.id);
  if (id === null) {
    problems.error('id', said('import.data-inclusion-no-id', { entityType: kind }));
    return null;
  }
  if (state.isRepeated(kind, place.file, id)) {
    problems.place.sourceId = id;
    problems.error('id', said('import.id-repeated', { id, entityType: kind }));
    return null;
  }
  return id;
}

export function structureItems(
  raw: Raw,
  place: RecordPlace,
  state: ReadingState,
  structures: Map<string, StructureMemory>,
): ImportItem[] {
  const problems = new RecordProblems(place);
  const sourceId = identify(raw, 'organization', place, state, problems);
  if (sourceId === null) return problems.items();
  problems.place.sourceId = sourceId;
  const name = textOrNull(raw.nom);
  if (name === null) {
    problems.error('nom', said('import.data-inclusion-structure-no-name'));
    return problems.items();
  }
  const identifiers: OrganizationIdentifier[] = [];
  const siret = textOrNull(raw.siret)?.replace(/\s/g, '') ?? null;
  if (siret !== null) {
    if (/^\d{14}$/.test(siret)) identifiers.push({ scheme: 'FR-SIRET', type: 'siret', identifier: siret });
    else problems.warning('siret', said('import.siret-not-14-digits', { siret }));
  }
  const rna = textOrNull(raw.rna);
  if (rna !== null) identifiers.push({ scheme: 'FR-RNA', type: 'rna', identifier: rna });
  const visible = raw.contact_public !== false && raw.contact_public !== 'false';
  const organization: ImportedOrganization = {
    place: { ...place, sourceId },
    sourceId,
    name,
    alternateName: null,
    description: descriptionText(first(raw, 'description', 'presentation_detail', 'presentation_resume')),
    website: problems.webAddress('site_web', raw.site_web),
    email: visible ? problems.email('courriel', raw.courriel) : null,
    phone: visible ? textOrNull(raw.telephone) : null,
    legalStatus: textOrNull(raw.typologie),
    identifiers,
    sourceUpdatedAt: dateOrNull(raw.date_maj),
  };
  const location = locationOf(raw, place, structureLocationId(sourceId), sourceId, name, problems);
  if (location) state.isRepeated('location', place.file, location.sourceId);
  const openingHours = textOrNull(first(raw, 'horaires_accueil', 'horaires_ouverture'));
  structures.set(ownString(sourceId), {
    hasLocation: location !== null,
    openingHours: openingHours === null ? null : ownString(openingHours),
  });
  return [
    { kind: 'organization', record: organization },
    ...(location ? [{ kind: 'location' as const, record: location }] : []),
    ...problems.items(),
  ];
}

function areaScopeOf(raw: Raw): AreaScope {
  const zones = listOf(raw.zone_eligibilite);
  // A département (2–3 characters), the country, or a foreign country code: wider than a town or an EPCI.
  if (zones.some((zone) => zone.length <= 3 || zone === 'france' || /^99\d{3}$/.test(zone))) return 'region';
  const v0Type = textOrNull(raw.zone_diffusion_type);
  return v0Type && ['departement', 'region', 'pays'].includes(v0Type) ? 'region' : 'local';
}

function freeOf(raw: Raw): boolean | null {
  const fees = listOf(raw.frais);
  if (fees.length === 0) return null;
  if (fees.includes('payant') || fees.includes('adhesion')) return false;
  return fees.every((fee) => fee === 'gratuit') ? true : null;
}

function statusOf(raw: Raw): ServiceStatus {
  const suspended = dateOrNull(raw.date_suspension);
  return suspended !== null && suspended <= new Date().toISOString().slice(0, 10) ? 'inactive' : 'active';
}

export function serviceItems(
  raw: Raw,
  place: RecordPlace,
  state: ReadingState,
  structures: Map<string, StructureMemory>,
): ImportItem[] {
  const problems = new RecordProblems(place);
  const sourceId = identify(raw, 'service', place, state, problems);
  if (sourceId === null) return problems.items();
  problems.place.sourceId = sourceId;
  const name = textOrNull(raw.nom);
  const organizationSourceId = textOrNull(raw.structure_id);
  if (name === null) problems.error('nom', said('import.data-inclusion-service-no-name'));
  if (organizationSourceId === null) problems.error('structure_id', said('import.data-inclusion-no-structure'));
  if (name === null || organizationSourceId === null) return problems.items();
  const recordPlace = { ...place, sourceId };
  state.refer(recordPlace, 'structure_id', 'organization', organizationSourceId);

  const terms: SourceTerm[] = [
    ...listOf(raw.thematiques).map((value) => ({ vocabulary: vocabularies.thematiques, value })),
    ...listOf(first(raw, 'publics', 'profils')).map((value) => ({ vocabulary: vocabularies.publics, value })),
    ...listOf(first(raw, 'type', 'types')).map((value) => ({ vocabulary: vocabularies.serviceType, value })),
  ];
  const classified = classifyTerms(terms, state.options.vocabularyMapping);

  const structure = structures.get(organizationSourceId);
  const ownLocation = locationOf(raw, place, serviceLocationId(sourceId), organizationSourceId, null, problems);
  const onlyRemote =
    listOf(raw.modes_accueil).every((mode) => mode === 'a-distance') && listOf(raw.modes_accueil).length > 0;
  const locationSourceIds = ownLocation
    ? [ownLocation.sourceId]
    : structure?.hasLocation && !onlyRemote
      ? [structureLocationId(organizationSourceId)]
      : [];
  if (ownLocation) state.isRepeated('location', place.file, ownLocation.sourceId);

  const hours = first(raw, 'horaires_accueil', 'horaires_ouverture') ?? structure?.openingHours ?? null;
  const schedules = openingHoursSchedule(hours, 'horaires_accueil', problems);
  const recurrence = textOrNull(raw.recurrence);
  if (recurrence) schedules.push({ openingHours: null, description: recurrence, note: null });

  const visible = raw.contact_public !== false && raw.contact_public !== 'false';
  const eligibility = joined(
    textOrNull(raw.conditions_acces),
    listOf(raw.pre_requis).join('\n') || null,
    listOf(raw.justificatifs).length > 0 ? `Justificatifs : ${listOf(raw.justificatifs).join(', ')}` : null,
    textOrNull(raw.publics_precisions),
  );
  const mobilisationLink = problems.webAddress(
    'lien_mobilisation',
    first(raw, 'lien_mobilisation', 'formulaire_en_ligne'),
  );
  const application = joined(textOrNull(raw.mobilisation_precisions), mobilisationLink);
  const service: ImportedService = {
    place: recordPlace,
    sourceId,
    organizationSourceId,
    name,
    alternateName: null,
    description: descriptionText(first(raw, 'description', 'presentation_detail', 'presentation_resume')),
    // The producer's page of the service, else the link to reach it (where our own export puts a service's page).
    url: problems.webAddress('lien_source', first(raw, 'lien_source', 'page_web')) ?? mobilisationLink,
    email: visible ? problems.email('courriel', raw.courriel) : null,
    phone: visible ? textOrNull(raw.telephone) : null,
    status: statusOf(raw),
    category: classified.category,
    topics: classified.topics,
    audiences: classified.audiences,
    languages: [],
    free: freeOf(raw),
    feesDescription: textOrNull(first(raw, 'frais_precisions', 'frais_autres')),
    eligibilityDescription: eligibility,
    applicationProcess: application,
    areaScope: areaScopeOf(raw),
    locationSourceIds,
    schedules,
    sourceTerms: terms,
    sourceUpdatedAt: dateOrNull(raw.date_maj),
  };
  return [
    ...(ownLocation ? [{ kind: 'location' as const, record: ownLocation }] : []),
    { kind: 'service', record: service },
    ...problems.items(),
  ];
}
