import { webAddressOrNull } from '#contract/links/webAddress.js';
import { type CsvSeparator, csvFieldSeparatedBy } from './csvField.js';
import type { AllianceExport, ExportOrganization, ExportServiceRow } from './exportRecords.js';

/** Excel reads a file as UTF-8 only when it starts with the byte order mark; other readers skip it. */
export const byteOrderMark = '\uFEFF';

const publicColumns = [
  'Service id',
  'Service',
  'Organisation',
  'Category',
  'Topics',
  'Audiences',
  'Languages',
  'Place',
  'Address',
  'Postal code',
  'Town',
  'Country',
  'Latitude',
  'Longitude',
  'Precision',
  'Phone',
  'Email',
  'Web address',
  'Opening hours',
  'Free',
  'Fees',
  'Eligibility',
  'Status',
  'Source id',
  'Last update',
] as const;

/** The organisation's personal contact: in the members' file only. */
const memberColumns = ['Contact person', 'Contact phone', 'Contact email'] as const;

const list = (values: readonly string[]) => values.join('; ');
const yesNo = (value: boolean | null) => (value === null ? null : value ? 'yes' : 'no');

function publicCells(row: ExportServiceRow): (string | number | null)[] {
  const { place } = row;
  return [
    row.id,
    row.name,
    row.organizationName,
    row.category,
    list(row.topics),
    list(row.audiences),
    list(row.languages),
    place?.name ?? null,
    place?.address ?? null,
    place?.postalCode ?? null,
    place?.town ?? null,
    place?.country ?? null,
    place?.lat ?? null,
    place?.lon ?? null,
    place?.precision ?? null,
    row.phone,
    row.email ?? row.organizationEmail,
    webAddressOrNull(row.url),
    row.openingHours,
    yesNo(row.free),
    row.feesDescription,
    row.eligibilityDescription,
    row.status,
    row.sourceRecordId,
    row.updatedAt.toISOString(),
  ];
}

/**
 * One row per service at each of its places (one row with empty place columns for a service that has none), with a
 * header line; CRLF line ends, quoting as RFC 4180 says, formula-like texts defused, and the BOM in front. Members'
 * files add the organisation's contact person.
 */
export function servicesCsv(records: AllianceExport, separator: CsvSeparator, forMembers: boolean): string {
  const field = csvFieldSeparatedBy(separator);
  const organizations = new Map<string, ExportOrganization>(records.organizations.map((o) => [o.id, o]));
  const header = forMembers ? [...publicColumns, ...memberColumns] : [...publicColumns];
  const lines = [header.map(field).join(separator)];
  for (const row of records.services) {
    const cells = publicCells(row);
    if (forMembers) {
      const contact = organizations.get(row.organizationId)?.contact;
      cells.push(contact?.person ?? null, contact?.phone ?? null, contact?.email ?? null);
    }
    lines.push(cells.map(field).join(separator));
  }
  return `${byteOrderMark}${lines.join('\r\n')}\r\n`;
}
