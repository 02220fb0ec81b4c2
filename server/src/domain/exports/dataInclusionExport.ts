import { webAddressOrNull } from '#contract/links/webAddress.js';
import { publicsOf, serviceTypeOf, thematiquesOf } from './dataInclusionVocabulary.js';
import type { AllianceExport, ExportOrganization, ExportPlace, ExportServiceRow } from './exportRecords.js';

/** Who produced the records, in data·inclusion's `source` field. */
export const dataInclusionSource = 'passerelle';

/** A data·inclusion v1 structure (schemas/v1/structure.json): every field, null when unknown. */
export interface DataInclusionStructure {
  source: string;
  id: string;
  nom: string;
  date_maj: string;
  siret: string | null;
  description: string | null;
  adresse: string | null;
  complement_adresse: string | null;
  commune: string | null;
  code_postal: string | null;
  code_insee: string | null;
  longitude: number | null;
  latitude: number | null;
  telephone: string | null;
  courriel: string | null;
  site_web: string | null;
  lien_source: string | null;
  horaires_accueil: string | null;
  accessibilite_lieu: string | null;
  reseaux_porteurs: string[] | null;
}

/** A data·inclusion v1 service (schemas/v1/service.json): every field, null when unknown. */
export interface DataInclusionService {
  source: string;
  id: string;
  structure_id: string;
  nom: string;
  description: string;
  date_maj: string;
  type: string | null;
  thematiques: string[] | null;
  frais: 'gratuit' | 'payant' | null;
  frais_precisions: string | null;
  publics: string[] | null;
  publics_precisions: string | null;
  conditions_acces: string | null;
  adresse: string | null;
  complement_adresse: string | null;
  commune: string | null;
  code_postal: string | null;
  code_insee: string | null;
  longitude: number | null;
  latitude: number | null;
  telephone: string | null;
  courriel: string | null;
  contact_nom_prenom: string | null;
  horaires_accueil: string | null;
  modes_accueil: string[] | null;
  zone_eligibilite: string[] | null;
  lien_mobilisation: string | null;
  modes_mobilisation: string[] | null;
  mobilisable_par: string[] | null;
  mobilisation_precisions: string | null;
  lien_source: string | null;
  nombre_semaines: number | null;
  volume_horaire_hebdomadaire: number | null;
}

export interface DataInclusionFile {
  structures: DataInclusionStructure[];
  services: DataInclusionService[];
}

const day = (instant: Date) => instant.toISOString().slice(0, 10);

/** A name within data·inclusion's 3 to 150 characters, without a final full stop (the schema's advice). */
function fitName(name: string): string {
  let fitted = name.trim().replace(/\s+/g, ' ');
  if (fitted.length > 150) fitted = `${fitted.slice(0, 149).trimEnd()}…`;
  fitted = fitted.replace(/\.+$/, '');
  return fitted.length >= 3 ? fitted : fitted.padEnd(3, '_');
}

/** A text cut to `max` characters; null when shorter than `min` (data·inclusion refuses it). */
function fitText(text: string | null, min: number, max: number): string | null {
  const trimmed = text?.trim() ?? '';
  if (trimmed.length < min) return null;
  return trimmed.length > max ? `${trimmed.slice(0, max - 1)}…` : trimmed;
}

/** Five digits (French, Swedish postal codes, spaces dropped), else nothing: the schema takes no other shape. */
function fiveDigitPostalCode(postalCode: string | null): string | null {
  const compact = postalCode?.replace(/\s/g, '') ?? '';
  return /^\d{5}$/.test(compact) ? compact : null;
}

/** An e-mail address data·inclusion will take (`format: email`), else nothing. */
function emailOrNull(text: string | null): string | null {
  const trimmed = text?.trim() ?? '';
  return /^[^\s@"(),:;<>[\\\]]+@[^\s@"(),:;<>[\\\]]+\.[^\s@"(),:;<>[\\\]]+$/.test(trimmed) ? trimmed : null;
}

/** A French department code from a postal code: 33000 → 33, Corsica 20xxx → 2A/2B, overseas 97xxx → 971…976. */
export function departmentOfPostalCode(postalCode: string | null): string | null {
  const code = fiveDigitPostalCode(postalCode);
  if (!code) return null;
  if (code.startsWith('20')) return Number(code.slice(2, 3)) < 2 ? '2A' : '2B';
  if (code.startsWith('97') || code.startsWith('98')) return code.slice(0, 3);
  return code.slice(0, 2);
}

function siretOf(organization: ExportOrganization): string | null {
  const siret = organization.identifiers.find(
    (identifier) => identifier.type.toLowerCase() === 'siret' || identifier.scheme === 'FR-SIRET',
  );
  const digits = siret?.identifier.replace(/\s/g, '') ?? '';
  return /^\d{14}$/.test(digits) ? digits : null;
}

/** The address fields of a place; for the public, a hidden address has its town and rounded point only. */
function addressFields(place: ExportPlace | null) {
  return {
    adresse: place?.address ?? null,
    complement_adresse: null,
    commune: place?.town ?? null,
    code_postal: fiveDigitPostalCode(place?.postalCode ?? null),
    code_insee: null,
    longitude: place?.lon ?? null,
    latitude: place?.lat ?? null,
  };
}

function toStructure(organization: ExportOrganization): DataInclusionStructure {
  return {
    source: dataInclusionSource,
    id: organization.id,
    nom: fitName(organization.name),
    date_maj: day(organization.updatedAt),
    siret: siretOf(organization),
    description: fitText(organization.description, 5, 10000),
    ...addressFields(organization.place),
    // The organisation's only telephone is its contact person's: personal, never handed out here.
    telephone: null,
    courriel: emailOrNull(organization.email),
    site_web: webAddressOrNull(organization.website),
    lien_source: null,
    horaires_accueil: null,
    accessibilite_lieu: null,
    reseaux_porteurs: null,
  };
}

/**
 * Where a service may be used, as INSEE codes: a local service, its place's department; a regional one, every
 * department the alliance has places in. French alliances only: the codes are France's.
 */
function eligibility(row: ExportServiceRow, regionDepartments: string[], french: boolean): string[] | null {
  if (!french) return null;
  if (row.areaScope === 'region') return regionDepartments.length > 0 ? regionDepartments : null;
  const department = departmentOfPostalCode(row.place?.departmentPostalCode ?? null);
  return department ? [department] : null;
}

function mobilisationModes(row: ExportServiceRow, email: string | null, link: string | null): string[] | null {
  const modes = [
    ...(row.place ? ['se-presenter'] : []),
    ...(row.phone ? ['telephoner'] : []),
    ...(email ? ['envoyer-un-courriel'] : []),
    ...(link ? ['utiliser-lien-mobilisation'] : []),
  ];
  return modes.length > 0 ? modes : null;
}

function toService(row: ExportServiceRow, regionDepartments: string[], french: boolean): DataInclusionService {
  const email = emailOrNull(row.email ?? row.organizationEmail);
  const link = webAddressOrNull(row.url);
  const name = fitName(row.name);
  return {
    source: dataInclusionSource,
    // A service offered in several places is one data·inclusion service per place.
    id: row.placeIndex === 0 ? row.id : `${row.id}--${row.place!.id}`,
    structure_id: row.organizationId,
    nom: name,
    description: fitText(row.description, 5, 10000) ?? `${name} (${row.organizationName}).`,
    date_maj: day(row.updatedAt),
    type: serviceTypeOf(row.topics),
    thematiques: thematiquesOf(row.category, row.topics),
    frais: row.free === null ? null : row.free ? 'gratuit' : 'payant',
    frais_precisions: row.feesDescription,
    publics: publicsOf(row.audiences),
    publics_precisions: null,
    conditions_acces: row.eligibilityDescription,
    ...addressFields(row.place),
    telephone: row.phone,
    courriel: email,
    contact_nom_prenom: null,
    horaires_accueil: row.openingHours,
    modes_accueil: row.place ? ['en-presentiel'] : null,
    zone_eligibilite: eligibility(row, regionDepartments, french),
    lien_mobilisation: link,
    modes_mobilisation: mobilisationModes(row, email, link),
    mobilisable_par: null,
    mobilisation_precisions: row.applicationProcess,
    lien_source: null,
    nombre_semaines: null,
    volume_horaire_hebdomadaire: null,
  };
}

/**
 * The alliance's organisations as data·inclusion structures and its active services as data·inclusion services,
 * schema v1. data·inclusion has no status: a service that is not active is left out even for members.
 */
export function dataInclusionFile(records: AllianceExport): DataInclusionFile {
  const french = records.alliance.country === 'FR';
  const regionDepartments = [
    ...new Set(
      records.services.flatMap((row) => departmentOfPostalCode(row.place?.departmentPostalCode ?? null) ?? []),
    ),
  ].sort();
  return {
    structures: records.organizations.map(toStructure),
    services: records.services
      .filter((row) => row.status === 'active')
      .map((row) => toService(row, regionDepartments, french)),
  };
}
