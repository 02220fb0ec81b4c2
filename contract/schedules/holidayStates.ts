/**
 * The states and regions whose public holidays differ from the rest of their country, by country (ISO 3166-1
 * alpha-2), spelled as the opening_hours library names them (so Swiss cantons in German). Elsewhere in Europe the
 * library knows every public holiday from the country alone. Great Britain has no national list at all: without a
 * nation, hours that mention `PH` are shown as written.
 */
export const holidayStatesByCountry: Readonly<Record<string, readonly string[]>> = {
  CH: [
    'Aargau',
    'Appenzell Innerrhoden',
    'Basel-Landschaft',
    'Basel-Stadt',
    'Bern',
    'Freiburg',
    'Genf',
    'Glarus',
    'Jura',
    'Luzern',
    'Neuenburg',
    'Nidwalden',
    'Obwalden',
    'Schaffhausen',
    'Schwyz',
    'Solothurn',
    'St. Gallen',
    'Tessin',
    'Thurgau',
    'Uri',
    'Waadt',
    'Wallis',
    'Zug',
    'Zürich',
  ],
  DE: [
    'Baden-Württemberg',
    'Bayern',
    'Berlin',
    'Brandenburg',
    'Bremen',
    'Hamburg',
    'Hessen',
    'Mecklenburg-Vorpommern',
    'Niedersachsen',
    'Nordrhein-Westfalen',
    'Rheinland-Pfalz',
    'Saarland',
    'Sachsen',
    'Sachsen-Anhalt',
    'Schleswig-Holstein',
    'Thüringen',
  ],
  ES: [
    'Andalucía',
    'Aragón',
    'Asturias',
    'Cantabria',
    'Castilla y León',
    'Castilla-La Mancha',
    'Cataluña',
    'Ceuta',
    'Comunidad Foral de Navarra',
    'Comunidad de Madrid',
    'Comunitat Valenciana',
    'Extremadura',
    'Galicia',
    'Illes Balears',
    'La Rioja',
    'Melilla',
    'País Vasco',
    'Región de Murcia',
  ],
  FR: [
    'Bas-Rhin',
    'Guadeloupe',
    'Guyane',
    'Haut-Rhin',
    'La Réunion',
    'Martinique',
    'Mayotte',
    'Moselle',
    'Nouvelle-Calédonie',
    'Polynésie française',
    'Saint-Barthélemy',
    'Saint-Martin',
    'Wallis-et-Futuna',
  ],
  GB: ['England', 'Northern Ireland', 'Scotland', 'Wales'],
};

/**
 * null when `state` may be an alliance's holiday state in `country` (or none is given), else the states that may
 * be (none: the country's holidays are the same everywhere).
 */
export function holidayStateProblem(country: string, state: string | null | undefined): { states: string[] } | null {
  if (state === null || state === undefined) return null;
  const states = holidayStatesByCountry[country.trim().toUpperCase()];
  if (!states) return { states: [] };
  if (states.includes(state)) return null;
  return { states: [...states] };
}
