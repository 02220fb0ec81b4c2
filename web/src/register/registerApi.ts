import { apiRequest } from '../api/request';
import {
  bodyValue,
  stakeholderFields,
  toStakeholder,
  type Raw,
  type SectorBalance,
  type Stakeholder,
  type StakeholderDraft,
  type StakeholderField,
} from './stakeholders';

const alliancePath = (slug: string) => `/api/alliances/${encodeURIComponent(slug)}`;

export async function fetchStakeholders(allianceSlug: string, signal?: AbortSignal): Promise<Stakeholder[]> {
  const body = await apiRequest<{ items: Raw[] }>(`${alliancePath(allianceSlug)}/stakeholders`, { signal });
  return body.items.map(toStakeholder).sort((a, b) => a.name.localeCompare(b.name));
}

export function fetchSectorBalance(allianceSlug: string, signal?: AbortSignal): Promise<SectorBalance> {
  return apiRequest<SectorBalance>(`${alliancePath(allianceSlug)}/sector-balance`, { signal });
}

export async function createStakeholder(allianceSlug: string, draft: StakeholderDraft): Promise<Stakeholder> {
  const body: Record<string, string | null> = { alliance: allianceSlug };
  for (const field of stakeholderFields) {
    const value = bodyValue(field, draft[field]);
    if (value !== null) body[field] = value;
  }
  return toStakeholder(await apiRequest<Raw>('/api/organizations', { method: 'POST', body }));
}

export async function updateStakeholder(
  id: string,
  version: number,
  changes: Partial<Record<StakeholderField, string | null>>,
): Promise<Stakeholder> {
  const path = `/api/organizations/${encodeURIComponent(id)}`;
  return toStakeholder(await apiRequest<Raw>(path, { method: 'PATCH', body: { ...changes, version } }));
}

export function deleteStakeholder(id: string): Promise<void> {
  return apiRequest<void>(`/api/organizations/${encodeURIComponent(id)}`, { method: 'DELETE' });
}
