/**
 * Numbers, distances, times and dates in the reader's language (its digits, its units, its word order), and
 * times in the region's time zone: "opens at 9:00" means 9:00 where the service is, whatever the phone says.
 */
export class Formatters {
  readonly #locale: string;
  readonly #timeZone: string | undefined;

  constructor(locale: string, timeZone?: string) {
    this.#locale = locale;
    this.#timeZone = timeZone;
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
    return new Intl.DateTimeFormat(this.#locale, {
      hour: 'numeric',
      minute: '2-digit',
      timeZone: this.#timeZone,
    }).format(new Date(instant));
  }

  weekday(instant: Date | string): string {
    return new Intl.DateTimeFormat(this.#locale, { weekday: 'long', timeZone: this.#timeZone }).format(
      new Date(instant),
    );
  }

  dayAndDate(instant: Date | string): string {
    return new Intl.DateTimeFormat(this.#locale, {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      timeZone: this.#timeZone,
    }).format(new Date(instant));
  }

  dateTime(instant: Date | string): string {
    return new Intl.DateTimeFormat(this.#locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(instant));
  }

  number(value: number, options: Intl.NumberFormatOptions = {}): string {
    return new Intl.NumberFormat(this.#locale, options).format(value);
  }

  /** "12 %", "12,5 %", "١٢٪": a share from 0 to 1. */
  percent(share: number, fractionDigits = 0): string {
    return new Intl.NumberFormat(this.#locale, { style: 'percent', maximumFractionDigits: fractionDigits }).format(
      share,
    );
  }

  date(instant: Date | string, style: 'short' | 'medium' | 'long' = 'medium'): string {
    return new Intl.DateTimeFormat(this.#locale, { dateStyle: style }).format(new Date(instant));
  }

  /** A day of the calendar (YYYY-MM-DD) as the reader says it: "5 January", "5 janvier", "٥ يناير". */
  calendarDay(date: string): string {
    const [year, month, day] = date.split('-').map(Number) as [number, number, number];
    return new Intl.DateTimeFormat(this.#locale, { day: 'numeric', month: 'long', timeZone: 'UTC' }).format(
      new Date(Date.UTC(year, month - 1, day)),
    );
  }

  /** A month of the calendar (YYYY-MM) with its year: "March 2026", "mars 2026". */
  monthOfYear(month: string): string {
    const [year, monthNumber] = month.split('-').map(Number) as [number, number];
    return new Intl.DateTimeFormat(this.#locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
      new Date(Date.UTC(year, monthNumber - 1, 15)),
    );
  }

  list(items: readonly string[]): string {
    return new Intl.ListFormat(this.#locale, { style: 'narrow', type: 'conjunction' }).format(items);
  }

  #unit(value: number, unit: 'meter' | 'kilometer', fractionDigits: number): string {
    return new Intl.NumberFormat(this.#locale, {
      style: 'unit',
      unit,
      unitDisplay: 'short',
      maximumFractionDigits: fractionDigits,
    }).format(value);
  }
}
