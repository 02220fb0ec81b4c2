import * as rrulePackage from 'rrule';
import type { ImportedSchedule } from '../importRecord.js';
import { textOrNull } from './cleanText.js';
import { readOpeningHours } from './openingHoursSchedules.js';
import type { RecordProblems } from './readingState.js';
import { said } from '../../messages/userError.js';

/** Node loads rrule's CommonJS build (everything behind `default`); Vite's module runner loads its ES build. */
const { RRule } = (rrulePackage as unknown as { default?: typeof rrulePackage }).default ?? rrulePackage;

const osmDays = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'];
const icalDays = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A day of an HSDS or iCal rule: the weekday (0 = Monday) and, in a monthly rule, which one of the month. */
interface RuleDay {
  weekday: number;
  nth: number | null;
}

/** The parts of an HSDS schedule (or of its RRULE) that opening hours can say. */
interface Rule {
  freq: 'WEEKLY' | 'MONTHLY' | 'DAILY' | 'OTHER' | null;
  days: RuleDay[];
  interval: number;
  byMonthDay: boolean;
  count: boolean;
  dtstartOnly: boolean;
}

type Raw = Record<string, unknown>;

function daysOf(byday: string): RuleDay[] | null {
  const days: RuleDay[] = [];
  for (const part of byday.split(',').map((day) => day.trim().toUpperCase())) {
    const match = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(part);
    if (!match) return null;
    days.push({ weekday: icalDays.indexOf(match[2]!), nth: match[1] ? Number(match[1]) : null });
  }
  return days;
}

function ruleOf(raw: Raw): Rule | { unreadable: string } {
  const rruleText = textOrNull(raw.rrule);
  if (rruleText) {
    try {
      const options = RRule.parseString(rruleText.replace(/^RRULE:/i, ''));
      const freq =
        options.freq === RRule.WEEKLY
          ? 'WEEKLY'
          : options.freq === RRule.MONTHLY
            ? 'MONTHLY'
            : options.freq === RRule.DAILY
              ? 'DAILY'
              : 'OTHER';
      const weekdays = options.byweekday === undefined || options.byweekday === null ? [] : [options.byweekday].flat();
      return {
        freq,
        days: weekdays.map((day) =>
          typeof day === 'number'
            ? { weekday: day, nth: null }
            : typeof day === 'string'
              ? { weekday: icalDays.indexOf(day), nth: null }
              : { weekday: day.weekday, nth: day.n ?? null },
        ),
        interval: options.interval ?? 1,
        byMonthDay: options.bymonthday !== undefined && options.bymonthday !== null,
        count: options.count !== undefined && options.count !== null,
        dtstartOnly: false,
      };
    } catch {
      return { unreadable: `The rule "${rruleText}" is not an iCal RRULE` };
    }
  }
  const freqText = textOrNull(raw.freq)?.toUpperCase() ?? null;
  const bydayText = textOrNull(raw.byday);
  const days = bydayText ? daysOf(bydayText) : [];
  if (days === null) return { unreadable: `The days "${bydayText}" are not iCal days such as MO,TU or 2MO` };
  return {
    freq:
      freqText === 'WEEKLY' || freqText === 'MONTHLY' || freqText === 'DAILY' ? freqText : freqText ? 'OTHER' : null,
    days,
    interval: Number(textOrNull(raw.interval) ?? 1) || 1,
    byMonthDay: textOrNull(raw.bymonthday) !== null,
    count: textOrNull(raw.count) !== null,
    dtstartOnly: textOrNull(raw.dtstart) !== null && days.length === 0,
  };
}

/** `09:00`, `09:00:00`, `09:00+01:00`, `09:00Z` → `09:00` (the wall clock of the place, which HSDS times give). */
function clockOf(value: unknown): string | null {
  const match = /^(\d{1,2}):(\d{2})(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/i.exec(textOrNull(value) ?? '');
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours > 24 || minutes > 59) return null;
  return `${String(hours).padStart(2, '0')}:${match[2]}`;
}

function osmDate(value: unknown): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(textOrNull(value) ?? '');
  if (!match) return null;
  return `${match[1]} ${months[Number(match[2]) - 1]} ${match[3]}`;
}

/** Why a rule cannot be written as opening hours, or null when it can. */
function unconvertible(rule: Rule, opens: string | null, closes: string | null): string | null {
  if (rule.byMonthDay) return 'Days of the month (bymonthday) cannot be written as opening hours';
  if (rule.count) return 'A schedule that ends after a number of times (count) cannot be written as opening hours';
  if (rule.interval > 1)
    return `A schedule every ${rule.interval} ${rule.freq === 'MONTHLY' ? 'months' : 'weeks'} cannot be written as opening hours`;
  if (rule.freq === 'OTHER') return 'Only weekly, monthly and daily schedules can be written as opening hours';
  if (rule.dtstartOnly) return 'A schedule given by its first date only (dtstart) cannot be written as opening hours';
  if (rule.freq === 'MONTHLY' && rule.days.some((day) => day.nth === null)) {
    return 'A monthly schedule needs which weekday of the month (such as 2MO) to be written as opening hours';
  }
  if (rule.freq !== 'DAILY' && rule.days.length === 0) return 'The schedule names no days';
  if (!opens || !closes) return 'The schedule gives no opening or closing time';
  return null;
}

function daysText(rule: Rule): string {
  if (rule.freq === 'DAILY' && rule.days.length === 0) return 'Mo-Su';
  return rule.days.map((day) => `${osmDays[day.weekday]}${day.nth !== null ? `[${day.nth}]` : ''}`).join(',');
}

/**
 * HSDS schedules (structured fields: `freq`, `byday`, `opens_at`, `closes_at`, `valid_from`/`valid_to`; or an
 * iCal `rrule` string, which some publishers add) as OpenStreetMap `opening_hours`, checked by the library. Weekly
 * rows of one service (HSDS gives one row per day and time range) are merged into one value, so that Monday morning
 * and Monday afternoon stay two ranges of the same day. A schedule that cannot be written that way keeps its
 * description, with a note saying why.
 */
export function hsdsSchedules(raws: unknown[], field: string, problems: RecordProblems): ImportedSchedule[] {
  const weekly = new Map<string, string[]>();
  const weeklyDescriptions: string[] = [];
  const others: ImportedSchedule[] = [];
  for (const raw of raws) {
    if (typeof raw !== 'object' || raw === null) continue;
    const schedule = raw as Raw;
    const description = textOrNull(schedule.description) ?? textOrNull(schedule.notes);
    const opens = clockOf(schedule.opens_at);
    const closes = clockOf(schedule.closes_at);
    const read = ruleOf(schedule);
    if ('unreadable' in read) {
      others.push({ openingHours: null, description, note: `${read.unreadable}; kept as text.` });
      continue;
    }
    const rule = read;
    if (rule.freq === null && rule.days.length === 0 && !opens && !closes && !rule.dtstartOnly) {
      if (description) others.push({ openingHours: null, description, note: 'No days or times given; kept as text.' });
      continue;
    }
    const why = unconvertible(rule, opens, closes);
    if (why) {
      others.push({ openingHours: null, description, note: `${why}; kept as text.` });
      continue;
    }
    const from = osmDate(schedule.valid_from);
    const to = osmDate(schedule.valid_to ?? schedule.until);
    const range = `${opens}-${closes}`;
    if (rule.freq === 'MONTHLY' || to) {
      const validity = to ? `${from ?? osmDate(new Date(0).toISOString())}-${to} ` : '';
      others.push(checked(`${validity}${daysText(rule)} ${range}`, description, problems, field));
      continue;
    }
    if (from) weeklyDescriptions.push(`Valid from ${textOrNull(schedule.valid_from)}.`);
    for (const day of daysText(rule) === 'Mo-Su' ? osmDays : rule.days.map((one) => osmDays[one.weekday]!)) {
      const ranges = weekly.get(day) ?? [];
      if (!ranges.includes(range)) ranges.push(range);
      weekly.set(day, ranges);
    }
    if (description) weeklyDescriptions.push(description);
  }
  const merged: ImportedSchedule[] = [];
  if (weekly.size > 0) {
    const groups = new Map<string, string[]>();
    for (const day of osmDays) {
      const ranges = weekly.get(day);
      if (!ranges) continue;
      const key = [...ranges].sort().join(',');
      groups.set(key, [...(groups.get(key) ?? []), day]);
    }
    const value = [...groups].map(([ranges, days]) => `${days.join(',')} ${ranges}`).join('; ');
    merged.push(
      checked(
        value,
        weeklyDescriptions.length > 0 ? [...new Set(weeklyDescriptions)].join(' ') : null,
        problems,
        field,
      ),
    );
  }
  return [...merged, ...others];
}

function checked(value: string, description: string | null, problems: RecordProblems, field: string): ImportedSchedule {
  const { openingHours, warning } = readOpeningHours(value);
  if (openingHours === null) {
    problems.warning(field, {
      ...said('import.schedule-kept-as-text', { ...warning?.params, text: value }),
      message: `${warning?.message ?? 'The schedule could not be read.'} The schedule was kept as text.`,
    });
    return { openingHours: null, description: description ?? value, note: 'Not valid opening hours; kept as text.' };
  }
  return { openingHours, description, note: null };
}
