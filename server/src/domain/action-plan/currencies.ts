/** The currency of the countries whose alliances use Passerelle, and of their neighbours. */
const currencyByCountry: Record<string, string> = {
  AT: 'EUR',
  BE: 'EUR',
  DE: 'EUR',
  ES: 'EUR',
  FI: 'EUR',
  FR: 'EUR',
  GR: 'EUR',
  IE: 'EUR',
  IT: 'EUR',
  LU: 'EUR',
  NL: 'EUR',
  PT: 'EUR',
  CH: 'CHF',
  DK: 'DKK',
  GB: 'GBP',
  NO: 'NOK',
  PL: 'PLN',
  SE: 'SEK',
};

/** The currency an action's budget is counted in unless someone says otherwise; null when we do not know it. */
export function currencyOfCountry(country: string): string | null {
  return currencyByCountry[country.trim().toUpperCase()] ?? null;
}
