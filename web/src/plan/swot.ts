import type { Static } from 'typebox';
import type { swotSchemas } from '#contract/api.js';
import { apiRequest } from '../api/request';
import { pageLanguage, t } from '../i18n/pageLanguage.svelte';

export const swotQuadrants = ['strengths', 'weaknesses', 'opportunities', 'threats'] as const;
export type SwotQuadrant = (typeof swotQuadrants)[number];

/** One point of the alliance's SWOT analysis. */
export type SwotItem = Static<typeof swotSchemas.SwotItem>;

/** The items, and the guide's questions for each quadrant. */
export type SwotAnalysis = Static<typeof swotSchemas.SwotList>;

/**
 * The guide's template: strengths and weaknesses are internal facts, opportunities and threats external ones.
 * A quadrant's words in the page's language: its title, what it is, and the sentences about one of its points.
 */
export function quadrantText(quadrant: SwotQuadrant, which: string, params?: Record<string, string>): string {
  return t(`plan.swot.${quadrant}.${which}`, params);
}

/**
 * The guide's questions for a quadrant in the page's language: the server sends them in English, in the guide's
 * order, and the n-th question has its translation under `plan.swot.prompts.<quadrant>.<n>`.
 */
export function promptText(quadrant: SwotQuadrant, index: number, english: string): string {
  const key = `plan.swot.prompts.${quadrant}.${index}`;
  return pageLanguage.has(key) ? t(key) : english;
}

const swotPath = (slug: string) => `/api/alliances/${encodeURIComponent(slug)}/swot`;
const itemPath = (id: string) => `/api/swot/${encodeURIComponent(id)}`;

export function fetchSwot(slug: string, signal?: AbortSignal): Promise<SwotAnalysis> {
  return apiRequest<SwotAnalysis>(swotPath(slug), { signal });
}

export function addSwotItem(slug: string, quadrant: SwotQuadrant, text: string): Promise<SwotItem> {
  return apiRequest<SwotItem>(swotPath(slug), { method: 'POST', body: { quadrant, text } });
}

export function updateSwotItem(id: string, version: number, text: string): Promise<SwotItem> {
  return apiRequest<SwotItem>(itemPath(id), { method: 'PATCH', body: { version, text } });
}

/** Moves an item one place up or down in its quadrant; answers every item, since its neighbour moved too. */
export async function moveSwotItem(id: string, version: number, direction: 'up' | 'down'): Promise<SwotItem[]> {
  const answer = await apiRequest<Static<typeof swotSchemas.SwotItems>>(`${itemPath(id)}/move`, {
    method: 'POST',
    body: { version, direction },
  });
  return answer.items;
}

export function deleteSwotItem(id: string): Promise<void> {
  return apiRequest<void>(itemPath(id), { method: 'DELETE' });
}
