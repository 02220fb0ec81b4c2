/**
 * Numbers, distances, times and dates in the reader's language (its digits, its units, its word order), and
 * times in the region's time zone: "opens at 9:00" means 9:00 where the service is, whatever the phone says.
 */
export class Formatters {
  readonly #locale: string;
  readonly #timeZone: string | undefined;
  /**
   * Each Intl formatter is made once per kind: making one costs far more than formatting with it, and a list of
   * thousands of services formats several times per row.
   */
  readonly #made = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.ListFormat>();

  constructor(locale: string, timeZone?: string) {
    this.#locale = locale;
    this.#timeZone = timeZone;
  }

  #dateTimeFormat(key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
    let made = this.#made.get(`d:${key}`) as Intl.DateTimeFormat | undefined;
    if (!made) {
      made = new Intl.DateTimeFormat(this.#locale, options);
      this.#made.set(`d:${key}`, made);
    }
    return made;
  }

  #numberFormat(key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
    let made = this.#made.get(`n:${key}`) as Intl.NumberFormat | undefined;
    if (!made) {
      made = new Intl.NumberFormat(this.#locale, options);
      this.#made.set(`n:${key}`, made);
    }
    return made;
  }

  /** "350 m", "1.2 km", "14 km": precise enough to choose, no more precise than a rounded position allows. */
  distance(meters: number): string {
    if (meters < 1000) {
      const rounded = Math.max(50, Math.round(meters / 50) * 50);
      if (rounded < 1000) return this.#unit(rounded, 'meter', 0);
    }
    const kilometers = meters / 1000;
    return this.#unit(kilometers, 'kilometer', kilometers < 10 ? 1 : 0);
  }

  time(instant: Date | string): string {
    return this.#dateTimeFormat('time', {
      hour: 'numeric',
      minute: '2-digit',
      timeZone: this.#timeZone,
    }).format(new Date(instant));
  }

  weekday(instant: Date | string): string {
    return this.#dateTimeFormat('weekday', { weekday: 'long', timeZone: this.#timeZone }).format(new Date(instant));
  }

  dayAndDate(instant: Date | string): string {
    return this.#dateTimeFormat('dayAndDate', {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      timeZone: this.#timeZone,
    }).format(new Date(instant));
  }

  dateTime(instant: Date | string): string {
    return this.#dateTimeFormat('dateTime', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(instant));
  }

  number(value: number, options: Intl.NumberFormatOptions = {}): string {
    return this.#numberFormat(`number:${JSON.stringify(options)}`, options).format(value);
  }

  /** "12 %", "12,5 %", "١٢٪": a share from 0 to 1. */
  percent(share: number, fractionDigits = 0): string {
    return this.#numberFormat(`percent:${fractionDigits}`, {
      style: 'percent',
      maximumFractionDigits: fractionDigits,
    }).format(share);
  }

  date(instant: Date | string, style: 'short' | 'medium' | 'long' = 'medium'): string {
    return this.#dateTimeFormat(`date:${style}`, { dateStyle: style }).format(new Date(instant));
  }

  /** A day of the calendar (YYYY-MM-DD) as the reader says it: "5 January", "5 janvier", "٥ يناير". */
  calendarDay(date: string): string {
    const [year, month, day] = date.split('-').map(Number) as [number, number, number];
    return this.#dateTimeFormat('calendarDay', { day: 'numeric', month: 'long', timeZone: 'UTC' }).format(
      new Date(Date.UTC(year, month - 1, day)),
    );
  }

  /** A month of the calendar (YYYY-MM) with its year: "March 2026", "mars 2026". */
  monthOfYear(month: string): string {
    const [year, monthNumber] = month.split('-').map(Number) as [number, number];
    return this.#dateTimeFormat('monthOfYear', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
      new Date(Date.UTC(year, monthNumber - 1, 15)),
    );
  }

  list(items: readonly string[]): string {
    let made = this.#made.get('list') as Intl.ListFormat | undefined;
    if (!made) {
      made = new Intl.ListFormat(this.#locale, { style: 'narrow', type: 'conjunction' });
      this.#made.set('list', made);
    }
    return made.format(items);
  }

  #unit(value: number, unit: 'meter' | 'kilometer', fractionDigits: number): string {
    return this.#numberFormat(`unit:${unit}:${fractionDigits}`, {
      style: 'unit',
      unit,
      unitDisplay: 'short',
      maximumFractionDigits: fractionDigits,
    }).format(value);
  }
}
