import type { Locator, Page } from 'playwright-core';
import { WAIT_MS, baseUrl } from './browserSession.js';

/**
 * The workspace map (`/map`) as the editing suites open it: one place, so that a change to the alliance picker or
 * the service list is made once.
 */

/** A service's row in the list. Its map marker carries the same `data-service-id` once the map shows it unclustered. */
export function serviceListItem(id: string): string {
  return `[data-testid="service-list-item"][data-service-id="${id}"]`;
}

/** Opens the map of the app at `origin` (the shared test server unless told) and picks the alliance `slug` once the picker offers it. */
export async function openAllianceMap(page: Page, slug = 'bordeaux', origin = baseUrl): Promise<void> {
  await page.goto(`${origin}/map#/`, { waitUntil: 'domcontentloaded' });
  await page.locator(`[data-testid="alliance-picker"] option[value="${slug}"]`).waitFor({
    state: 'attached',
    timeout: WAIT_MS,
  });
  await page.selectOption('[data-testid="alliance-picker"]', slug);
}

/** Opens the map on the alliance and the detail of the service `id`, from its row in the list. */
export async function openServiceDetail(page: Page, id: string, slug = 'bordeaux'): Promise<void> {
  await openAllianceMap(page, slug);
  const item = page.locator(serviceListItem(id));
  await item.waitFor({ timeout: WAIT_MS });
  await item.click();
  await page.locator('[data-testid="service-detail"] h2').waitFor({ timeout: WAIT_MS });
}

/** Opens "Add a service" on the alliance's map, chooses the organisation and "At a new place"; answers the form. */
export async function openNewPlaceForm(
  page: Page,
  organizationId: string,
  slug = 'bordeaux',
  origin = baseUrl,
): Promise<Locator> {
  await openAllianceMap(page, slug, origin);
  await page.locator('[data-testid="add-service"]').click();
  const form = page.locator('[data-testid="add-service-form"]');
  await form.locator(`#new-service-organization option[value="${organizationId}"]`).waitFor({
    state: 'attached',
    timeout: WAIT_MS,
  });
  await form.getByLabel('Organisation').selectOption(organizationId);
  await form.locator('[data-testid="new-service-place"] option[value="new"]').waitFor({
    state: 'attached',
    timeout: WAIT_MS,
  });
  await form.getByLabel('Where').selectOption('new');
  return form;
}
