import type { Page } from 'playwright-core';
import { WAIT_MS, baseUrl } from './browserSession.js';

/**
 * The workspace map (`/map`) as the editing suites open it: one place, so that a change to the alliance picker or
 * the service list is made once.
 */

/** A service's row in the list. Its map marker carries the same `data-service-id` once the map shows it unclustered. */
export function serviceListItem(id: string): string {
  return `[data-testid="service-list-item"][data-service-id="${id}"]`;
}

/** Opens the map and picks the alliance `slug` once the picker offers it. */
export async function openAllianceMap(page: Page, slug = 'bordeaux'): Promise<void> {
  await page.goto(`${baseUrl}/map#/`, { waitUntil: 'domcontentloaded' });
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
