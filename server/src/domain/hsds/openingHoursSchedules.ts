/**
 * OSM `opening_hours` as HSDS 3.0 weekly schedules, where the string is simple enough to say the same thing:
 * rules of weekdays and times ("Mo-Fr 09:00-12:30,13:30-17:30; Sa 10:00-12:00", "Sa off"), a later rule replacing
 * the days it names, as in OSM. Anything else (public holidays, months, weeks, comments, open ends) is not
 * expressible as HSDS's weekly fields without losing its meaning: it is kept whole in a schedule's description.
 */

const weekdays = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
const osmDays = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'];

export interface WeeklySlot {
  /** RRULE BYDAY, e.g. "MO,TU,WE". */
  byday: string;
  /** "09:00" */
  opensAt: string;
  closesAt: string;
}

const dayRange = '(?:Mo|Tu|We|Th|Fr|Sa|Su)(?:-(?:Mo|Tu|We|Th|Fr|Sa|Su))?';
const time = '(?:[01][0-9]|2[0-3]):[0-5][0-9]';
const timeRange = `${time}-(?:${time}|24:00)`;
const rulePattern = new RegExp(`^(${dayRange}(?:,${dayRange})*)\\s+(off|${timeRange}(?:,${timeRange})*)$`);

function daysOf(list: string): number[] {
  return list.split(',').flatMap((range) => {
    const [first, last] = range.split('-').map((day) => osmDays.indexOf(day));
    if (last === undefined) return [first!];
    // "Fr-Mo" wraps over the week's end.
    const days: number[] = [];
    for (let day = first!; ; day = (day + 1) % 7) {
      days.push(day);
      if (day === last) return days;
    }
  });
}

/** The weekly slots an opening_hours string says, or undefined when it says more than weekdays and times. */
export function weeklySlots(openingHours: string): WeeklySlot[] | undefined {
  const rules = openingHours
    .split(';')
    .map((rule) => rule.trim())
    .filter((rule) => rule !== '');
  if (rules.length === 0) return undefined;
  const hoursByDay: (string[] | undefined)[] = Array.from({ length: 7 }, () => undefined);
  for (const rule of rules) {
    const match = rulePattern.exec(rule);
    if (!match) return undefined;
    const ranges = match[2] === 'off' ? [] : match[2]!.split(',');
    for (const day of daysOf(match[1]!)) hoursByDay[day] = ranges;
  }
  // One slot per time range, for the days that share it, in the order of the week.
  const daysByRange = new Map<string, number[]>();
  hoursByDay.forEach((ranges, day) => {
    for (const range of ranges ?? []) daysByRange.set(range, [...(daysByRange.get(range) ?? []), day]);
  });
  return [...daysByRange.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([range, days]) => {
      const [opensAt, closesAt] = range.split('-');
      return { byday: days.map((day) => weekdays[day]).join(','), opensAt: opensAt!, closesAt: closesAt! };
    });
}
