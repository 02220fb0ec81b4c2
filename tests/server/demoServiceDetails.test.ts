import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type DemoOrganization,
  type DemoServiceDetailsFile,
  mergeServiceDetails,
  readDemoData,
  serviceDetailsFileName,
} from '../../server/src/domain/demo-data/demoDataFiles.js';
import { checkOpeningHours } from '../../server/src/domain/schedules/openIntervals.js';
import { scheduleRegionOf } from '../../server/src/domain/schedules/scheduleRegion.js';
import { demoDataDir } from '../support/testApp.js';

/** The language each demo alliance's descriptions are translated into, besides Arabic. */
const localLanguages: Record<string, string | undefined> = {
  bordeaux: 'fr',
  friesland: 'nl',
  'kronoberg-kalmar-skane': 'sv',
  roscommon: undefined,
};

describe('the illustrative details of the demo services', async () => {
  const { alliances, organizations } = await readDemoData(demoDataDir);
  const regionOf = (slug: string) => scheduleRegionOf(alliances.find((alliance) => alliance.slug === slug)!);
  const services = organizations.flatMap((organization) =>
    organization.services.map((service) => ({ organization, service })),
  );

  it('describes every one of the 57 services, and nothing else', () => {
    const file = JSON.parse(
      fs.readFileSync(path.join(demoDataDir, serviceDetailsFileName), 'utf8'),
    ) as DemoServiceDetailsFile;
    const described = Object.values(file).reduce((count, byService) => count + Object.keys(byService).length, 0);
    expect(services).toHaveLength(57);
    expect(described).toBe(57);
  });

  it('writes every opening hours in valid opening_hours syntax, read in its region', () => {
    const problems = services
      .filter(({ service }) => service.openingHours !== undefined)
      .map(({ organization, service }) => [
        service.name,
        checkOpeningHours(service.openingHours!, regionOf(organization.alliance)),
      ])
      .filter(([, problem]) => problem !== null);
    expect(problems).toEqual([]);
    expect(services.filter(({ service }) => service.openingHours).length).toBe(52);
  });

  it('says what it costs wherever a service is not free', () => {
    const unexplained = services.filter(({ service }) => service.free === false && !service.feesDescription);
    expect(unexplained).toEqual([]);
  });

  it("translates every description into the alliance's local language and into Arabic", () => {
    for (const { organization, service } of services) {
      const local = localLanguages[organization.alliance];
      const expected = local ? ['ar', local].sort() : ['ar'];
      expect(Object.keys(service.translations ?? {}).sort(), service.name).toEqual(expected);
      for (const texts of Object.values(service.translations ?? {})) expect(texts.description).toBeTruthy();
    }
  });

  it('invents no phone number and no street address for a real organisation', () => {
    expect(services.filter(({ service }) => service.phone !== undefined)).toEqual([]);
    expect(organizations.filter(({ location }) => location.address || location.postalCode)).toEqual([]);
  });

  it('refuses details of a service that organizations.json does not have', () => {
    const organization: DemoOrganization = { ...organizations[0]!, name: 'Centre Alpha' };
    expect(() =>
      mergeServiceDetails([organization], { 'Centre Alpha': { 'Renamed service': { free: true } } }),
    ).toThrow(
      'demo-service-details.json describes "Renamed service" of "Centre Alpha", which is not in organizations.json.',
    );
  });
});
