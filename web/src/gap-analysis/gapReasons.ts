import { pageLanguage } from '../i18n/pageLanguage.svelte';
import { subjectInText } from './topics';
import type { Wording } from './wording';

/** What the server says of why an area is flagged: its code and figures, which read in any language. */
export interface GapReasonParams {
  /** The category or topic id ("social_action", "language_courses"). */
  subject?: string;
  subjectKind?: 'category' | 'topic' | string;
  thresholdM?: number;
  /** unreachable: the catchment in minutes. */
  thresholdMinutes?: number;
  /** unreachable, off-network: walk, bike or drive. */
  travel?: string;
  /** The area's score as a share of the regional mean, in percent (45 for 45 %). */
  percent?: number;
  method?: string;
  population?: number | string;
}

export interface GapReasonSource {
  /** The server's English sentence, shown when it gives no code (runs made before codes, or a code unknown here). */
  reason: string | null;
  reasonCode?: string | null;
  reasonParams?: GapReasonParams | string | null;
}

function paramsOf(value: GapReasonSource['reasonParams']): GapReasonParams {
  if (!value) return {};
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as GapReasonParams;
  } catch {
    return {};
  }
}

/** "~8,400": the figures come from approximate population, rounded to two significant digits. */
export function approximatePopulation(population: number | string | undefined, words: Wording): string {
  if (typeof population !== 'number') return population ?? '';
  return `~${words.format.number(population, { maximumSignificantDigits: 2 })}`;
}

/**
 * Why an area is flagged, in the reader's language when the server gave a code (`no-service-within`,
 * `below-regional-mean`, and in a run in travel times `unreachable`, `off-network`), else in the server's English; null when it is not flagged.
 */
export function gapReasonText(source: GapReasonSource, words: Wording = pageLanguage): string | null {
  const { t } = words;
  const code = source.reasonCode;
  if (code) {
    const params = paramsOf(source.reasonParams);
    const kind = params.subjectKind === 'topic' ? 'topic' : 'category';
    const key = `gap-analysis.reason.${code}.${kind}`;
    const subject = params.subject ? subjectInText(params.subject, words) : '';
    const text = t(key, {
      subject,
      distance: t('gap-analysis.measure.km', {
        km: words.format.number((params.thresholdM ?? 0) / 1000, { maximumFractionDigits: 1 }),
      }),
      percent: words.format.percent((params.percent ?? 0) / 100),
      minutes: words.format.number(params.thresholdMinutes ?? 0),
      travel: params.travel ? t(`gap-analysis.travel.${params.travel}`) : '',
      method: params.method === '2sfca' ? '2SFCA' : params.method === 'e2sfca' ? 'E2SFCA' : (params.method ?? ''),
      population: approximatePopulation(params.population, words),
    });
    if (text !== key) return text;
  }
  return source.reason || null;
}
