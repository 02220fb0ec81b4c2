import type { Kysely } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AllianceRole, Database } from '../../server/src/db/schema.js';
import { freshnessDigestMail } from '../../server/src/domain/accounts/mailer.js';
import { regionMonth, sendDueDigests } from '../../server/src/domain/freshness/digest.js';
import { signedInAs } from '../support/accounts.js';
import { adminHeaders, useTestApp } from '../support/testApp.js';
import { databaseModes } from '../support/testDatabase.js';

const publicUrl = 'https://passerelle.example.org';

async function createAlliance(db: Kysely<Database>, slug: string, timezone: string): Promise<string> {
  const row = await db
    .insertInto('alliance')
    .values({
      slug,
      name: `Alliance ${slug}`,
      country: 'FR',
      languages: ['fr'],
      timezone,
      description: null,
      vision: null,
      holiday_state: null,
      boundary: null,
      charter: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function createOrganization(
  db: Kysely<Database>,
  allianceId: string,
  name: string,
  services: { name: string; verifiedAt: string | null; cycle?: 1 | 3 | 6 | 12; status?: 'active' | 'inactive' }[],
): Promise<void> {
  const organization = await db
    .insertInto('organization')
    .values({ alliance_id: allianceId, name })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const service of services) {
    await db
      .insertInto('service')
      .values({
        organization_id: organization.id,
        name: service.name,
        category: 'social_action',
        status: service.status ?? 'active',
        verified_at: service.verifiedAt,
        update_cycle_months: service.cycle ?? null,
      })
      .execute();
  }
}

describe('the digest mail', () => {
  it('names at most its limit of services, and says how many more the list holds', () => {
    const mail = freshnessDigestMail({
      allianceName: 'Testland',
      recipientName: 'Eli',
      role: 'editor',
      organizations: [
        {
          name: 'One',
          services: [
            { name: 'A', dueOn: null },
            { name: 'B', dueOn: '2026-11-10' },
          ],
        },
        { name: 'Two', services: [{ name: 'C', dueOn: null }] },
      ],
      url: 'https://passerelle.example.org/map#/alliance/testland/to-check',
      listLimit: 2,
    });
    expect(mail.subject).toBe('Testland: 3 services to check');
    expect(mail.body).toContain('One (2 services)\n  • A — never checked\n  • B — due on November 10, 2026\n');
    expect(mail.body).not.toContain('Two');
    expect(mail.body).toContain('…and 1 more service, on the list.');
  });

  it('reads the month on the region’s calendar', () => {
    expect(regionMonth(new Date('2026-12-31T23:30:00Z'), 'Europe/Paris')).toBe('2027-01');
    expect(regionMonth(new Date('2027-01-01T03:00:00Z'), 'America/Montreal')).toBe('2026-12');
  });
});

describe.each(databaseModes())('the monthly digest of services to check (%s database)', (mode) => {
  const context = useTestApp(mode);
  const db = () => context.database.db;
  const december = new Date('2026-12-03T10:00:00Z');
  const people: Record<string, string> = {};

  const mailsTo = (email: string) =>
    db().selectFrom('outbox').select(['subject', 'body']).where('to_email', '=', email).orderBy('created_at').execute();
  const digestOf = (outcomes: { allianceSlug: string }[], slug: string) =>
    outcomes.find((outcome) => outcome.allianceSlug === slug);

  async function member(slug: string, key: string, role: AllianceRole, language: string | null) {
    const actor = await signedInAs(db(), role, slug, {
      email: `${key}-${mode}@digest.example`,
      displayName: `Person ${key}`,
    });
    await db().updateTable('account').set({ language }).where('id', '=', actor.accountId).execute();
    people[key] = actor.email;
  }

  beforeAll(async () => {
    // Paris: three services overdue in two organisations, the others checked within their cycle or not offered.
    const paris = await createAlliance(db(), 'digest-paris', 'Europe/Paris');
    await createOrganization(db(), paris, 'Accueil Nord', [
      { name: 'Permanence logement', verifiedAt: null },
      { name: 'Aide aux démarches', verifiedAt: '2026-05-10T10:00:00Z' },
      { name: 'Domiciliation', verifiedAt: '2026-10-01T10:00:00Z' },
    ]);
    await createOrganization(db(), paris, 'Banque alimentaire', [
      { name: 'Colis alimentaires', verifiedAt: '2026-10-15T10:00:00Z', cycle: 1 },
      { name: 'Ancienne épicerie', verifiedAt: null, status: 'inactive' },
    ]);
    await createOrganization(db(), paris, 'Cours de langue', [
      { name: 'Français langue étrangère', verifiedAt: '2026-11-20T10:00:00Z' },
    ]);
    await member('digest-paris', 'coordinator', 'coordinator', null);
    await member('digest-paris', 'editor', 'editor', 'de');
    await member('digest-paris', 'secretariat', 'secretariat', 'en');
    await member('digest-paris', 'member', 'member', 'en');
    await member('digest-paris', 'bounced', 'editor', 'en');
    await db().insertInto('mail_bounce').values({ email: people.bounced!, reason: '550 no such user' }).execute();

    // Auckland, far east of UTC: its January starts while Paris is still in December.
    const auckland = await createAlliance(db(), 'digest-auckland', 'Pacific/Auckland');
    await createOrganization(db(), auckland, 'Kāinga', [{ name: 'Housing desk', verifiedAt: null }]);
    await member('digest-auckland', 'auckland', 'editor', 'en');

    // An organisation with an address and a service due: besides the editors' digest, it gets its own link.
    const lyon = await createAlliance(db(), 'digest-lyon', 'Europe/Paris');
    await createOrganization(db(), lyon, 'Maison des solidarités', [{ name: 'Accueil de jour', verifiedAt: null }]);
    await createOrganization(db(), lyon, 'Club de foot', [
      { name: 'Entraînements', verifiedAt: '2026-11-20T10:00:00Z' },
    ]);
    await db()
      .updateTable('organization')
      .set({ email: `accueil-${mode}@solidarites.example` })
      .where('name', 'in', ['Maison des solidarités', 'Club de foot'])
      .where('alliance_id', '=', lyon)
      .execute();
    await member('digest-lyon', 'lyon', 'editor', 'fr');

    // Nothing overdue: the month is recorded, nobody is mailed.
    const fresh = await createAlliance(db(), 'digest-fresh', 'Europe/Paris');
    await createOrganization(db(), fresh, 'Fresh', [{ name: 'Checked', verifiedAt: '2026-11-30T10:00:00Z' }]);
    await member('digest-fresh', 'fresh', 'editor', 'en');
  });

  it('mails each editor, secretariat member and coordinator once, but not members nor a bounced address', async () => {
    const outcomes = await sendDueDigests(db(), { now: december, publicUrl });
    expect(digestOf(outcomes, 'digest-paris')).toEqual({
      allianceSlug: 'digest-paris',
      month: '2026-12',
      overdueServices: 3,
      mailsQueued: 3,
      organizationsReminded: 0,
    });
    for (const key of ['coordinator', 'editor', 'secretariat'])
      expect(await mailsTo(people[key]!), key).toHaveLength(1);
    expect(await mailsTo(people.member!)).toEqual([]);
    expect(await mailsTo(people.bounced!)).toEqual([]);
  });

  it('mails each organisation with a service due its own self-service link, naming only its services', async () => {
    const outcomes = await sendDueDigests(db(), { now: december, publicUrl });
    // The first test ran December's digests already: this run finds nothing new to send.
    expect(outcomes).toEqual([]);
    const mails = await mailsTo(`accueil-${mode}@solidarites.example`);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.body).toMatch(/\/map#\/self-service\/[A-Za-z0-9_-]{40,}/);
    expect(mails[0]!.body).toContain('Accueil de jour');
    expect(mails[0]!.body).not.toContain('Entraînements');
    const links = await db()
      .selectFrom('self_service_link as l')
      .innerJoin('organization as o', 'o.id', 'l.organization_id')
      .select(['o.name', 'l.created_by'])
      .where('l.email', '=', `accueil-${mode}@solidarites.example`)
      .execute();
    expect(links).toEqual([{ name: 'Maison des solidarités', created_by: null }]);
    expect(await mailsTo(people.lyon!)).toHaveLength(1);
  });

  it('lists the overdue services by organisation, with their due date or "never checked", in the reader’s language', async () => {
    const [german] = await mailsTo(people.editor!);
    expect(german!.subject).toBe('Alliance digest-paris: 3 Angebote zu prüfen');
    expect(german!.body).toContain('Guten Tag Person editor,');
    expect(german!.body).toContain(
      'Accueil Nord (2 Angebote)\n' +
        '  • Permanence logement — nie geprüft\n' +
        '  • Aide aux démarches — fällig seit 10. November 2026\n\n' +
        'Banque alimentaire (1 Angebot)\n' +
        '  • Colis alimentaires — fällig seit 15. November 2026\n',
    );
    for (const absent of ['Domiciliation', 'Ancienne épicerie', 'Cours de langue']) {
      expect(german!.body).not.toContain(absent);
    }
    expect(german!.body).toContain(`${publicUrl}/map#/alliance/digest-paris/to-check`);
    expect(german!.body).toContain('in der Rolle „Redaktion“');

    // No language of one's own: the alliance's first.
    const [french] = await mailsTo(people.coordinator!);
    expect(french!.subject).toBe('Alliance digest-paris : 3 services à vérifier');
    expect(french!.body).toContain('  • Permanence logement — jamais vérifié\n');
    expect(french!.body).toContain('  • Aide aux démarches — à vérifier depuis le 10 novembre 2026\n');

    const [english] = await mailsTo(people.secretariat!);
    expect(english!.subject).toBe('Alliance digest-paris: 3 services to check');
    expect(english!.body).toContain(
      'Banque alimentaire (1 service)\n  • Colis alimentaires — due on November 15, 2026\n',
    );
  });

  it('records the month without mailing anyone when nothing is overdue', async () => {
    const recorded = await db()
      .selectFrom('freshness_digest as d')
      .innerJoin('alliance as a', 'a.id', 'd.alliance_id')
      .select('d.month')
      .where('a.slug', '=', 'digest-fresh')
      .execute();
    expect(recorded).toEqual([{ month: '2026-12' }]);
    expect(await mailsTo(people.fresh!)).toEqual([]);
  });

  it('sends no second digest in the same month', async () => {
    const outcomes = await sendDueDigests(db(), { now: new Date('2026-12-28T10:00:00Z'), publicUrl });
    expect(digestOf(outcomes, 'digest-paris')).toBeUndefined();
    expect(await mailsTo(people.editor!)).toHaveLength(1);
  });

  it('starts a month at midnight on the region’s calendar', async () => {
    // 23:30 on 31 December in Auckland: still December there.
    const before = await sendDueDigests(db(), { now: new Date('2026-12-31T10:30:00Z'), publicUrl });
    expect(digestOf(before, 'digest-auckland')).toBeUndefined();
    // 00:30 on 1 January in Auckland, 12:30 on 31 December in Paris.
    const after = await sendDueDigests(db(), { now: new Date('2026-12-31T11:30:00Z'), publicUrl });
    expect(digestOf(after, 'digest-auckland')).toMatchObject({ month: '2027-01', mailsQueued: 1 });
    expect(digestOf(after, 'digest-paris')).toBeUndefined();
    expect(await mailsTo(people.auckland!)).toHaveLength(2);
    expect(await mailsTo(people.editor!)).toHaveLength(1);
  });

  it('sends a new digest in a new month', async () => {
    const outcomes = await sendDueDigests(db(), { now: new Date('2027-01-01T09:00:00Z'), publicUrl });
    expect(digestOf(outcomes, 'digest-paris')).toMatchObject({ month: '2027-01', mailsQueued: 3 });
    expect(await mailsTo(people.editor!)).toHaveLength(2);
    expect(await mailsTo(people.member!)).toEqual([]);
  });

  it('sends one digest when two instances look at the same time', async () => {
    const february = new Date('2027-02-01T09:00:00Z');
    const runs = await Promise.all([
      sendDueDigests(db(), { now: february, publicUrl }),
      sendDueDigests(db(), { now: february, publicUrl }),
    ]);
    expect(runs.flat().filter((outcome) => outcome.allianceSlug === 'digest-paris')).toHaveLength(1);
    expect(await mailsTo(people.editor!)).toHaveLength(3);
  });

  it('lets a platform admin run the digests now, once a month, and nobody else', async () => {
    const run = (headers: Record<string, string>) =>
      context.app.inject({ method: 'POST', url: '/api/admin/digests/run', headers });
    const coordinator = await signedInAs(db(), 'coordinator', 'testland');
    expect((await run(coordinator.headers)).statusCode).toBe(403);
    // The route goes by the real clock: testland's digest of this month is made due whatever the date.
    const testland = await db()
      .selectFrom('alliance')
      .select('id')
      .where('slug', '=', 'testland')
      .executeTakeFirstOrThrow();
    await db().deleteFrom('freshness_digest').where('alliance_id', '=', testland.id).execute();
    const first = await run(adminHeaders);
    expect(first.statusCode, first.body).toBe(200);
    expect(digestOf(first.json().digests, 'testland')).toMatchObject({
      month: regionMonth(new Date(), 'Europe/Paris'),
      mailsQueued: 1,
    });
    expect((await mailsTo(coordinator.email))[0]!.subject).toMatch(/à vérifier$/);
    const second = await run(adminHeaders);
    expect(second.json()).toEqual({ digests: [] });
  });
});
