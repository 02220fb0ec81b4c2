import { describe, expect, it } from 'vitest';
import { databaseModes } from '../support/testDatabase.js';
import { adminHeaders, useTestApp } from '../support/testApp.js';

interface Entry {
  name: string;
  [field: string]: unknown;
}

/** Saturday 24 October 2026: Paris puts its clocks back during the 8 days listed from it. */
const from = '2026-10-24';

describe.each(databaseModes())('the directory for the finder (%s database)', (mode) => {
  // The directory's today is the day these tests read (a fixed day would be refused a year on).
  const context = useTestApp(mode, undefined, { clock: () => new Date(`${from}T10:00:00Z`) });
  const get = (url: string) => context.app.inject({ url });
  const directory = async (query = `?from=${from}`) => (await get(`/api/alliances/testland/directory${query}`)).json();
  const entry = (body: { services: Entry[] }, name: string) => body.services.find((service) => service.name === name)!;

  it('describes the alliance, says it is demonstration data, and the period of the opening times', async () => {
    const response = await get(`/api/alliances/testland/directory?from=${from}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-cache');
    const body = response.json();
    expect(body.alliance).toEqual({
      slug: 'testland',
      name: 'Test alliance — Testland',
      country: 'FR',
      languages: ['fr'],
      timezone: 'Europe/Paris',
      bbox: [-1, 44.5, 0, 45.2],
      demo: true,
    });
    // Midnight in Paris (CEST) on the 24th to midnight (CET) eight days later.
    expect(body.openFrom).toBe('2026-10-23T22:00:00.000Z');
    expect(body.openUntil).toBe('2026-10-31T23:00:00.000Z');
    expect(Date.parse(body.generatedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('lists one entry per active service at a location, sorted by name', async () => {
    const body = await directory();
    expect(body.services.map((service: Entry) => service.name)).toEqual([
      'Alpha football club',
      'Alpha housing advice',
      'Beta job coaching',
      'Gamma social desk',
    ]);
  });

  const machineDraft = (text: string) => ({ text, origin: 'machine', reviewState: 'machine-draft' });

  it('gives each service everything the finder shows', async () => {
    expect(entry(await directory(), 'Alpha housing advice')).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      serviceId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Alpha housing advice',
      organizationName: 'Centre Alpha',
      description: 'Housing advice.',
      textLanguage: 'en',
      // The fixture's translations load as machine drafts, which the finder labels as such.
      translations: {
        ar: { name: machineDraft('ألفا: نصائح السكن'), description: machineDraft('نصائح حول السكن.') },
        fr: { description: machineDraft('Conseils pour le logement.') },
      },
      category: 'social_action',
      topics: ['housing'],
      audiences: ['asylum_seekers', 'undocumented'],
      languages: ['fr', 'ar'],
      free: true,
      feesDescription: null,
      eligibilityDescription: 'For anyone without a stable home.',
      applicationProcess: null,
      openingHoursNote: null,
      phone: '+33 5 00 00 00 01',
      email: null,
      url: 'https://alpha.example.org/',
      address: '12 rue des Essais',
      city: 'Bordeaux',
      postalCode: '33000',
      lat: 44.84,
      lon: -0.58,
      precision: 'exact',
      addressHidden: false,
      openingHours: 'Mo-Fr 09:00-12:00,14:00-17:00',
      openIntervals: [26, 27, 28, 29, 30].flatMap((day) => [
        [`2026-10-${day}T08:00:00.000Z`, `2026-10-${day}T11:00:00.000Z`],
        [`2026-10-${day}T13:00:00.000Z`, `2026-10-${day}T16:00:00.000Z`],
      ]),
      closure: null,
      // The demo data spreads its checks over the months before it was loaded (domain/demo-data).
      verifiedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      checkedMonth: expect.stringMatching(/^\d{4}-\d{2}$/),
    });
  });

  it('says what it costs, and leaves unknowns null', async () => {
    const body = await directory();
    expect(entry(body, 'Alpha football club')).toMatchObject({
      free: false,
      feesDescription: '20 euros for the season.',
      translations: {},
    });
    expect(entry(body, 'Beta job coaching')).toMatchObject({
      free: null,
      phone: null,
      address: null,
      openingHours: null,
      openIntervals: null,
    });
  });

  it('never gives a hidden address: no street, no postal code, a pin at its public point', async () => {
    const response = await get(`/api/alliances/testland/directory?from=${from}`);
    expect(entry(response.json(), 'Gamma social desk')).toMatchObject({
      address: null,
      postalCode: null,
      city: 'Langon',
      addressHidden: true,
      precision: 'town',
      // Rounded to 0.01°, as in every other answer (Gamma's door is on that grid already).
      lat: 44.64,
      lon: -0.58,
      audiences: ['women', 'undocumented'],
    });
    expect(response.body).not.toContain('Discrète');
    expect(response.body).not.toContain('33210');
  });

  it('works out opening times on the clocks of the region, across the change of the clocks', async () => {
    expect(entry(await directory(), 'Gamma social desk').openIntervals).toEqual([
      ['2026-10-24T07:00:00.000Z', '2026-10-24T10:00:00.000Z'],
      ...[26, 27, 28, 29, 30].map((day) => [`2026-10-${day}T07:00:00.000Z`, `2026-10-${day}T17:00:00.000Z`]),
      ['2026-10-31T08:00:00.000Z', '2026-10-31T11:00:00.000Z'],
    ]);
  });

  it('lists opening times from today in the region when no day is given', async () => {
    const body = await directory('');
    // The app's clock says 10:00 UTC on `from`: today in Paris is that day.
    const todayInParis = from;
    const startInParis = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Europe/Paris',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    }).format(new Date(body.openFrom));
    expect(startInParis).toBe(`${todayInParis}, 00:00`);
    const hours = (Date.parse(body.openUntil) - Date.parse(body.openFrom)) / 3_600_000;
    expect([191, 192, 193]).toContain(hours);
  });

  it('offers the towns of the region and of its locations as places, sorted by name', async () => {
    expect((await directory()).places).toEqual([
      // Not on the base map: placed at the location.
      { id: 'town-blanquefort', name: 'Blanquefort', lat: 44.94, lon: -0.58 },
      { id: 'town-bordeaux', name: 'Bordeaux', lat: 44.84, lon: -0.58 },
      { id: 'town-langon', name: 'Langon', lat: 44.55, lon: -0.25 },
      { id: 'town-merignac', name: 'Mérignac', lat: 44.84, lon: -0.65 },
    ]);
  });

  it('leaves out a service that is no longer active', async () => {
    const beta = entry(await directory(), 'Beta job coaching');
    const url = `/api/services/${beta.serviceId}`;
    const setStatus = async (status: string) =>
      context.app.inject({
        method: 'PATCH',
        url,
        headers: adminHeaders,
        payload: { version: (await context.app.inject({ url })).json().version, status },
      });
    expect((await setStatus('inactive')).statusCode).toBe(200);
    try {
      expect((await directory()).services.map((service: Entry) => service.name)).not.toContain('Beta job coaching');
    } finally {
      await setStatus('active');
    }
  });

  it.each([
    ['/api/alliances/atlantis/directory', 404, 'There is no alliance "atlantis".', 'not-found.alliance'],
    [
      '/api/alliances/testland/directory?from=24/10/2026',
      400,
      'Query parameter "from" must be a valid date.',
      'validation.format',
    ],
    [
      '/api/alliances/testland/directory?from=2026-02-30',
      400,
      'Query parameter "from" must be a valid date.',
      'validation.format',
    ],
  ])('%s answers %i with a readable message', async (url, statusCode, message, code) => {
    const response = await get(url);
    expect(response.statusCode).toBe(statusCode);
    expect(response.json()).toMatchObject({
      statusCode,
      error: statusCode === 404 ? 'Not Found' : 'Bad Request',
      message,
      code,
    });
  });

  it('refuses a first day more than a year away from today', async () => {
    const response = await get('/api/alliances/testland/directory?from=2000-01-01');
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(
      /^Query parameter "from" must be a day within a year of today \(\d{4}-\d{2}-\d{2} in the region\), not 2000-01-01\.$/,
    );
  });
});
