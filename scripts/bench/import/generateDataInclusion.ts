import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { projectRoot } from '../../../server/src/config.js';
import { parsePositive } from '../lib/cliNumbers.js';
import { seededRandom } from '../lib/stats.js';
import {
  addressComplements,
  descriptionSentences,
  firstNames,
  lastNames,
  modesMobilisation,
  nameWords,
  afternoons,
  mornings,
  openingDays,
  openingHours,
  publics,
  streetKinds,
  streetNames,
  structureKinds,
  themes,
} from './dataInclusionVocabulary.js';

export interface DataInclusionExtractOptions {
  /** Where `structures.json` and `services.json` are written (created if missing). */
  outDir: string;
  /** How many services; about one structure is written for every four. */
  services?: number;
  /** The same seed writes the same files, byte for byte. */
  seed?: number;
}

export interface DataInclusionExtract {
  structuresFile: string;
  servicesFile: string;
  structures: number;
  services: number;
}

/** A town of Gironde (département 33) where records are placed, as many as its population weighs. */
interface Town {
  inseeCode: string;
  name: string;
  population: number;
  lat: number;
  lon: number;
}

/** Gironde's communes with their INSEE codes, populations and points, from the demo data's demand points. */
function readGirondeTowns(): Town[] {
  const file = path.join(projectRoot, 'data/demand/FR-GI.json');
  const demand = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    points: { key: string; name: string; population: number; lat: number; lon: number }[];
  };
  return demand.points
    .filter((point) => point.key.startsWith('insee:') && point.population > 0)
    .map((point) => ({ ...point, inseeCode: point.key.slice('insee:'.length) }));
}

/** Bordeaux Métropole's SIREN, an EPCI code as `zone_eligibilite` takes them. */
const BORDEAUX_METROPOLE_EPCI = '243300316';

/** The Luhn check digit that makes `digits` followed by it a valid Luhn number (SIREN and SIRET use it). */
function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    // Counting from the right of the complete number, the check digit is position 1: double the even positions.
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 0) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

/** Draws of one seeded sequence: the whole extract comes from it, in the order it is written. */
class Draws {
  readonly #next: () => number;
  readonly #townWeights: number[];

  constructor(
    seed: number,
    readonly towns: Town[],
  ) {
    this.#next = seededRandom(seed);
    let total = 0;
    this.#townWeights = towns.map((town) => (total += town.population));
  }

  chance(probability: number): boolean {
    return this.#next() < probability;
  }

  integer(min: number, max: number): number {
    return min + Math.floor(this.#next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.#next() * items.length)]!;
  }

  /** `count` different items, in the list's order. */
  some<T>(items: readonly T[], count: number): T[] {
    const chosen = new Set<number>();
    while (chosen.size < Math.min(count, items.length)) chosen.add(Math.floor(this.#next() * items.length));
    return [...chosen].sort((a, b) => a - b).map((index) => items[index]!);
  }

  digits(count: number): string {
    let text = '';
    for (let index = 0; index < count; index++) text += Math.floor(this.#next() * 10);
    return text;
  }

  hex(count: number): string {
    let text = '';
    for (let index = 0; index < count; index++) text += Math.floor(this.#next() * 16).toString(16);
    return text;
  }

  uuid(): string {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${this.pick(['8', '9', 'a', 'b'])}${this.hex(3)}-${this.hex(12)}`;
  }

  /**
   * Opening hours as directories hold them: often one of a few common schedules, otherwise a structure's own
   * (days, a morning, perhaps an afternoon, perhaps a Saturday), so that an extract holds a few thousand different
   * texts, as real ones do, and reading them costs what it would.
   */
  openingHours(): string {
    if (this.chance(0.4)) return this.pick(openingHours);
    const days = this.pick(openingDays);
    const morning = this.pick(mornings);
    const hours = this.chance(0.7) ? `${morning},${this.pick(afternoons)}` : morning;
    const rules = [`${days} ${hours}`];
    if (this.chance(0.2)) rules.push(`Sa ${this.pick(mornings)}`);
    if (this.chance(0.6)) rules.push('PH off');
    return rules.join('; ');
  }

  /** A town drawn by population, so that Bordeaux gets the most records, as it does in real extracts. */
  town(): Town {
    const target = this.#next() * this.#townWeights.at(-1)!;
    let low = 0;
    let high = this.#townWeights.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.#townWeights[middle]! < target) low = middle + 1;
      else high = middle;
    }
    return this.towns[low]!;
  }

  /** A date between 2022-01-01 and 2025-11-30, as `date_maj` writes it. */
  date(): string {
    const start = Date.UTC(2022, 0, 1);
    const end = Date.UTC(2025, 10, 30);
    return new Date(start + Math.floor(this.#next() * ((end - start) / 86_400_000)) * 86_400_000)
      .toISOString()
      .slice(0, 10);
  }

  /** A point around a town's centre, further out for larger towns, to the 6 decimals producers give. */
  pointNear(town: Town): { latitude: number; longitude: number } {
    const radiusKm = 0.4 + 4 * Math.min(1, Math.sqrt(town.population / 250_000));
    const distanceKm = radiusKm * Math.sqrt(this.#next());
    const angle = this.#next() * 2 * Math.PI;
    const latitude = town.lat + (distanceKm / 111.2) * Math.sin(angle);
    const longitude = town.lon + (distanceKm / (111.2 * Math.cos((town.lat * Math.PI) / 180))) * Math.cos(angle);
    return { latitude: Number(latitude.toFixed(6)), longitude: Number(longitude.toFixed(6)) };
  }

  /** A SIRET whose SIREN (9 digits) and whole number (14 digits) both pass the Luhn check, as INSEE issues them. */
  siret(): string {
    const siren8 = `${this.integer(1, 9)}${this.digits(7)}`;
    const siren = `${siren8}${luhnCheckDigit(siren8)}`;
    const withoutCheck = `${siren}${this.digits(4)}`;
    return `${withoutCheck}${luhnCheckDigit(withoutCheck)}`;
  }

  /** A French landline or mobile number, in E.164 mostly, as the schema prefers, sometimes as people write it. */
  phone(): string {
    const national = `${this.pick(['5', '5', '5', '6', '7'])}${this.digits(8)}`;
    if (this.chance(0.8)) return `+33${national}`;
    return `0${national}`.replace(/(\d{2})(?=\d)/g, '$1 ');
  }

  /** Sentences about a record, each said once, from 200 to 1500 characters, ending at a sentence. */
  description(name: string, town: string): string {
    const target = this.integer(200, 1500);
    const unsaid = [...descriptionSentences];
    let text = '';
    while (text.length < target && unsaid.length > 0) {
      const [sentence] = unsaid.splice(Math.floor(this.#next() * unsaid.length), 1);
      const written = sentence!.replaceAll('{name}', name).replaceAll('{town}', town);
      if (text.length > 0 && text.length + 1 + written.length > 1500) break;
      text = text ? `${text} ${written}` : written;
    }
    return text;
  }
}

/** ASCII words joined by hyphens, at most `maxLength` characters, for web and mail addresses. */
function slugOf(text: string, maxLength = 60): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, maxLength)
    .replace(/^-+|-+$/g, '');
}

/** Where a structure or a service is: an address in a town, with or without coordinates. */
interface Place {
  town: Town;
  adresse: string | null;
  complement_adresse: string | null;
  code_postal: string | null;
  code_insee: string;
  commune: string;
  latitude: number | null;
  longitude: number | null;
}

function placeIn(draws: Draws, town: Town, withCoordinates: boolean): Place {
  const point = withCoordinates ? draws.pointNear(town) : { latitude: null, longitude: null };
  return {
    town,
    adresse: draws.chance(0.95)
      ? `${draws.integer(1, 180)} ${draws.pick(streetKinds)} ${draws.pick(streetNames)}`
      : null,
    complement_adresse: draws.chance(0.12) ? draws.pick(addressComplements) : null,
    // Plausible, not the commune's own: the extract's postal codes are made up in Gironde's 33xxx range.
    code_postal: draws.chance(0.97) ? `33${draws.digits(3)}` : null,
    code_insee: town.inseeCode,
    commune: town.name,
    ...point,
  };
}

/** The address fields of a record, in the schema's names. */
function addressFields(place: Place) {
  const { town: _town, ...fields } = place;
  return fields;
}

type RecordKind = 'structures' | 'services';

/** The producers of a Gironde extract, in about the shares they have in it, with the address of a record there. */
const sources: { name: string; share: number; link: ((kind: RecordKind, slug: string) => string) | null }[] = [
  { name: 'dora', share: 0.35, link: (kind, slug) => `https://dora.inclusion.beta.gouv.fr/${kind}/${slug}` },
  { name: 'soliguide', share: 0.3, link: (_kind, slug) => `https://soliguide.fr/fr/fiche/${slug}` },
  { name: 'france-travail', share: 0.1, link: null },
  { name: 'emplois-de-linclusion', share: 0.1, link: null },
  { name: 'mission-locale', share: 0.1, link: null },
  { name: 'reseau-alpha', share: 0.05, link: (kind, slug) => `https://www.reseau-alpha.org/${kind}/${slug}` },
];

function drawSource(draws: Draws) {
  let remaining = draws.integer(0, 999) / 1000;
  for (const source of sources) {
    remaining -= source.share;
    if (remaining < 0) return source;
  }
  return sources[0]!;
}

interface StructureDraft {
  record: Record<string, unknown>;
  source: (typeof sources)[number];
  place: Place;
}

function structureRecord(draws: Draws, index: number): StructureDraft {
  const source = drawSource(draws);
  const town = draws.town();
  const kind = draws.pick(structureKinds);
  const nom = kind.name(town.name, draws.pick(nameWords)).slice(0, 150);
  const slug = `${slugOf(nom)}-${index.toString(36)}`;
  // Some records come without coordinates: the import geocodes them or marks them as needing a place.
  const place = placeIn(draws, town, draws.chance(0.93));
  const record = {
    source: source.name,
    id: `${source.name}--${source.name === 'soliguide' ? 10_000 + index : draws.uuid()}`,
    nom,
    date_maj: draws.date(),
    description: draws.chance(0.65) ? draws.description(nom, town.name) : null,
    lien_source: source.link ? source.link('structures', slug) : null,
    siret: draws.chance(0.85) ? draws.siret() : null,
    telephone: draws.chance(0.8) ? draws.phone() : null,
    courriel: draws.chance(0.7) ? `contact@${slugOf(nom, 40)}.fr` : null,
    site_web: draws.chance(0.4) ? `https://www.${slugOf(nom, 40)}.fr/` : null,
    horaires_accueil: draws.chance(0.7) ? draws.openingHours() : null,
    accessibilite_lieu: draws.chance(0.1)
      ? `https://acceslibre.beta.gouv.fr/app/33-${slugOf(town.name)}/a/association/erp/${slug}/`
      : null,
    reseaux_porteurs: kind.network
      ? [kind.network]
      : draws.chance(0.2)
        ? ['federation-des-acteurs-de-la-solidarite']
        : null,
    ...addressFields(place),
  };
  return { record, source, place };
}

function drawPublics(draws: Draws): string[] {
  if (draws.chance(0.35)) return ['tous-publics'];
  // The alliances serve migrants and refugees: their services list exiles more often than the others.
  const chosen = draws.some(publics, draws.integer(1, 3));
  if (draws.chance(0.3) && !chosen.includes('personnes-exilees')) chosen.push('personnes-exilees');
  return chosen;
}

function serviceRecord(draws: Draws, structure: StructureDraft, index: number): Record<string, unknown> {
  const theme = draws.pick(themes);
  const type = draws.pick(theme.type);
  const baseName = draws.pick(theme.serviceNames);
  // Most services are where their structure is; some are elsewhere (a permanence), a few only at a distance.
  const where = draws.integer(1, 100);
  const place = where <= 80 ? structure.place : where <= 95 ? placeIn(draws, draws.town(), draws.chance(0.93)) : null;
  const nom = (draws.chance(0.4) ? `${baseName} – ${(place ?? structure.place).town.name}` : baseName).slice(0, 150);
  const mobilisation = draws.some(modesMobilisation, draws.integer(1, 3));
  const payant = draws.chance(0.12);
  const zone = draws.integer(1, 100);
  const timed = type === 'formation' || type === 'atelier';
  return {
    source: structure.source.name,
    structure_id: structure.record.id,
    id: `${structure.source.name}--${draws.uuid()}`,
    nom,
    description: draws.description(nom, (place ?? structure.place).town.name),
    date_maj: draws.date(),
    lien_source: structure.source.link
      ? structure.source.link('services', `${slugOf(nom)}-${index.toString(36)}`)
      : null,
    type,
    thematiques: draws.some(theme.subthemes, draws.integer(1, Math.min(3, theme.subthemes.length))),
    frais: draws.chance(0.9) ? (payant ? 'payant' : 'gratuit') : null,
    frais_precisions: payant ? draws.pick(['10 € d’adhésion annuelle', 'Tarif selon le quotient familial']) : null,
    publics: drawPublics(draws),
    publics_precisions: draws.chance(0.2) ? 'Personnes de plus de 16 ans résidant en Gironde.' : null,
    conditions_acces: draws.chance(0.25) ? 'Sur orientation d’un travailleur social ou sur rendez-vous.' : null,
    modes_accueil:
      place === null ? ['a-distance'] : draws.chance(0.2) ? ['a-distance', 'en-presentiel'] : ['en-presentiel'],
    modes_mobilisation: mobilisation,
    lien_mobilisation: mobilisation.includes('utiliser-lien-mobilisation')
      ? `https://www.exemple-inscription.fr/services/${index}`
      : null,
    mobilisable_par: draws.some(['professionnels', 'usagers'], draws.integer(1, 2)),
    mobilisation_precisions: draws.chance(0.15) ? 'Inscription conseillée une semaine à l’avance.' : null,
    contact_nom_prenom: draws.chance(0.3) ? `${draws.pick(firstNames)} ${draws.pick(lastNames)}` : null,
    courriel: draws.chance(0.5) ? `accueil.${index}@${slugOf(structure.record.nom as string, 40)}.fr` : null,
    telephone: draws.chance(0.6) ? draws.phone() : null,
    horaires_accueil: draws.chance(0.6)
      ? (draws.chance(0.5) && (structure.record.horaires_accueil as string | null)) || draws.openingHours()
      : null,
    zone_eligibilite:
      zone <= 50
        ? ['33']
        : zone <= 75
          ? [(place ?? structure.place).town.inseeCode]
          : zone <= 85
            ? [BORDEAUX_METROPOLE_EPCI]
            : zone <= 90
              ? ['france']
              : null,
    nombre_semaines: timed && draws.chance(0.6) ? draws.integer(1, 40) : null,
    volume_horaire_hebdomadaire: timed && draws.chance(0.6) ? draws.integer(2, 35) / 2 : null,
    ...(place
      ? addressFields(place)
      : {
          adresse: null,
          complement_adresse: null,
          code_postal: null,
          code_insee: null,
          commune: null,
          latitude: null,
          longitude: null,
        }),
  };
}

/**
 * A JSON file `{ "<key>": [ … ] }` written a record at a time: the writer waits whenever the disk is behind, so
 * that memory holds at most one chunk, whatever the number of records.
 */
class JsonListFile {
  readonly #stream: fs.WriteStream;
  #pending = '';
  #count = 0;

  constructor(file: string, key: string) {
    this.#stream = fs.createWriteStream(file, { encoding: 'utf8' });
    this.#pending = `{"${key}":[\n`;
  }

  get count(): number {
    return this.#count;
  }

  async add(record: unknown): Promise<void> {
    this.#pending += `${this.#count === 0 ? '' : ',\n'}${JSON.stringify(record)}`;
    this.#count++;
    if (this.#pending.length >= 256 * 1024) await this.#flush();
  }

  async close(): Promise<void> {
    this.#pending += '\n]}\n';
    await this.#flush();
    this.#stream.end();
    await once(this.#stream, 'finish');
  }

  async #flush(): Promise<void> {
    const chunk = this.#pending;
    this.#pending = '';
    if (!this.#stream.write(chunk)) await once(this.#stream, 'drain');
  }
}

/**
 * Writes a synthetic data·inclusion v1 extract of Gironde: `structures.json` (`{ "structures": […] }`) and
 * `services.json` (`{ "services": […] }`), about one structure per four services (one to seven each), with the
 * field sizes and values of real extracts. Records are made and written one at a time (bounded memory).
 */
export async function generateDataInclusion(options: DataInclusionExtractOptions): Promise<DataInclusionExtract> {
  const serviceCount = options.services ?? 100_000;
  const draws = new Draws(options.seed ?? 1, readGirondeTowns());
  fs.mkdirSync(options.outDir, { recursive: true });
  const structuresFile = path.join(options.outDir, 'structures.json');
  const servicesFile = path.join(options.outDir, 'services.json');
  const structures = new JsonListFile(structuresFile, 'structures');
  const services = new JsonListFile(servicesFile, 'services');
  while (services.count < serviceCount) {
    const structure = structureRecord(draws, structures.count);
    await structures.add(structure.record);
    const count = Math.min(draws.integer(1, 7), serviceCount - services.count);
    for (let index = 0; index < count; index++) await services.add(serviceRecord(draws, structure, services.count));
  }
  await structures.close();
  await services.close();
  return { structuresFile, servicesFile, structures: structures.count, services: services.count };
}

const usage = `Usage: npx tsx scripts/bench/import/generateDataInclusion.ts [options]

  --services=100000                 how many services (about a quarter as many structures)
  --seed=1                          the same seed writes the same files
  --out=.tmp/bench-import/data-inclusion   the folder for structures.json and services.json`;

async function main() {
  const { values } = parseArgs({
    options: {
      services: { type: 'string', default: '100000' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string', default: path.join(projectRoot, '.tmp/bench-import/data-inclusion') },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const extract = await generateDataInclusion({
    outDir: values.out,
    services: Math.round(parsePositive('services', values.services)),
    seed: Math.round(parsePositive('seed', values.seed)),
  });
  const size = (file: string) => `${(fs.statSync(file).size / 1_048_576).toFixed(1)} MiB`;
  console.log(
    `${extract.structures} structures (${size(extract.structuresFile)}) in ${extract.structuresFile}\n` +
      `${extract.services} services (${size(extract.servicesFile)}) in ${extract.servicesFile}`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
