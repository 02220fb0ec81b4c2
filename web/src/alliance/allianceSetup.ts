import type { Static } from 'typebox';
import type { memberSchemas } from '#contract/api.js';
import { apiRequest } from '../api/request';
import { t } from '../i18n/pageLanguage.svelte';
import type { MultiPolygon, Polygon } from 'geojson';

/** An alliance's settings as `GET`, `POST` and `PATCH /api/alliances` answer them (docs/workspace-api.md). */
export type AllianceSettings = Omit<Static<typeof memberSchemas.AllianceSettings>, 'boundary'> & {
  /** The schema leaves the coordinates untyped. */
  boundary: MultiPolygon | null;
};

export interface NewAlliance {
  slug: string;
  name: string;
  country: string;
  timezone: string;
  languages: string[];
  description: string | null;
  boundary?: Polygon | MultiPolygon;
}

export interface AllianceChanges {
  name?: string;
  description?: string | null;
  languages?: string[];
  timezone?: string;
  /** Whose public holidays the opening hours follow where they differ within the country; null for the national ones. */
  holidayState?: string | null;
  /** Months between two checks of a service without its own cycle. */
  updateCycleMonths?: 1 | 3 | 6 | 12;
  /** Whether what an organisation changes through its self-service link waits for an editor's approval. */
  selfServiceApproval?: boolean;
  /** A new region boundary, or null to remove the saved one. */
  boundary?: Polygon | MultiPolygon | null;
}

/** The countries the pilots work in, first in the country list; any other is typed as its two-letter code. */
export const knownCountries = [
  { code: 'FR', name: 'France', timezone: 'Europe/Paris', languages: ['fr'] },
  { code: 'IE', name: 'Ireland', timezone: 'Europe/Dublin', languages: ['en', 'ga'] },
  { code: 'NL', name: 'Netherlands', timezone: 'Europe/Amsterdam', languages: ['nl'] },
  { code: 'SE', name: 'Sweden', timezone: 'Europe/Stockholm', languages: ['sv'] },
  { code: 'BE', name: 'Belgium', timezone: 'Europe/Brussels', languages: ['nl', 'fr'] },
  { code: 'DE', name: 'Germany', timezone: 'Europe/Berlin', languages: ['de'] },
  { code: 'ES', name: 'Spain', timezone: 'Europe/Madrid', languages: ['es'] },
  { code: 'IT', name: 'Italy', timezone: 'Europe/Rome', languages: ['it'] },
  { code: 'PT', name: 'Portugal', timezone: 'Europe/Lisbon', languages: ['pt'] },
  { code: 'GR', name: 'Greece', timezone: 'Europe/Athens', languages: ['el'] },
  { code: 'AT', name: 'Austria', timezone: 'Europe/Vienna', languages: ['de'] },
] as const;

export const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const COUNTRY_PATTERN = /^[A-Z]{2}$/;
const LANGUAGE_PATTERN = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const SLUG_MAX = 60;
const LANGUAGES_MAX = 30;

/** The address name a name suggests: "Île-de-France Sud" → "ile-de-france-sud". */
export function slugFromName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, SLUG_MAX)
    .replace(/^-+|-+$/g, '');
}

/** What is wrong with a slug, in a sentence, or null. */
export function slugProblem(slug: string): string | null {
  if (slug.length < 2) return t('alliance.problem.slugShort', { count: 2 });
  if (slug.length > SLUG_MAX) return t('alliance.problem.slugLong', { count: SLUG_MAX });
  if (!SLUG_PATTERN.test(slug)) return t('alliance.problem.slugCharacters');
  return null;
}

/** What is wrong with a country code, or null. */
export function countryProblem(code: string): string | null {
  return COUNTRY_PATTERN.test(code) ? null : t('alliance.problem.country');
}

/** The time zone a country suggests, or null when it has several or we do not know it. */
export function timezoneOfCountry(code: string): string | null {
  return knownCountries.find((country) => country.code === code)?.timezone ?? null;
}

/** The languages a country suggests, as a list to edit. */
export function languagesOfCountry(code: string): string[] {
  return [...(knownCountries.find((country) => country.code === code)?.languages ?? [])];
}

/** The IANA time zones this browser knows, or a short list when it cannot tell. */
export function timezoneChoices(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return knownCountries.map((country) => country.timezone);
  }
}

/** "fr, en ; ar" → ["fr", "en", "ar"], without repeats. */
export function parseLanguages(text: string): string[] {
  const codes = text
    .split(/[\s,;]+/)
    .map((code) => code.trim())
    .filter((code) => code !== '');
  return [...new Set(codes)];
}

/** What is wrong with a list of language codes, or null. */
export function languagesProblem(codes: readonly string[]): string | null {
  if (codes.length === 0) return t('alliance.problem.noLanguage');
  const wrong = codes.find((code) => !LANGUAGE_PATTERN.test(code));
  if (wrong) return t('alliance.problem.languageCode', { code: wrong });
  if (codes.length > LANGUAGES_MAX) return t('alliance.problem.tooManyLanguages', { count: LANGUAGES_MAX });
  return null;
}

export function fetchAllianceSettings(slug: string, signal?: AbortSignal): Promise<AllianceSettings> {
  return apiRequest<AllianceSettings>(`/api/alliances/${encodeURIComponent(slug)}`, { signal });
}

export function createAlliance(alliance: NewAlliance): Promise<AllianceSettings> {
  return apiRequest<AllianceSettings>('/api/alliances', { method: 'POST', body: alliance });
}

export function updateAllianceSettings(
  slug: string,
  version: number,
  changes: AllianceChanges,
): Promise<AllianceSettings> {
  return apiRequest<AllianceSettings>(`/api/alliances/${encodeURIComponent(slug)}`, {
    method: 'PATCH',
    body: { version, ...changes },
  });
}
