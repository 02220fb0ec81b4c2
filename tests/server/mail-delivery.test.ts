import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueMail } from '../../server/src/domain/accounts/mailer.js';
import { isBounced } from '../../server/src/domain/mail/bounces.js';
import {
  claimLeaseMs,
  deliverWaitingMails,
  deliveryFailure,
  maxAttempts,
  nextAttemptAfter,
} from '../../server/src/domain/mail/delivery.js';
import { smtpSender } from '../../server/src/domain/mail/smtpSender.js';
import { signedInAs } from '../support/accounts.js';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtpServer.js';
import { adminHeaders, miniDataDir, useTestApp } from '../support/testApp.js';
import { databaseModes } from '../support/testDatabase.js';

const minute = 60_000;
const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

describe('what a failed send leads to', () => {
  it('marks an address that a server refuses for good, and gives up a message it refuses for good', () => {
    const rcpt = { code: 'EENVELOPE', command: 'RCPT TO', responseCode: 550, permanent: true, response: '550 no' };
    expect(deliveryFailure(rcpt)).toEqual({ kind: 'bounce', reason: '550 no' });
    const data = { code: 'EMESSAGE', command: 'DATA', responseCode: 554, permanent: true, response: '554 spam' };
    expect(deliveryFailure(data).kind).toBe('refused');
  });

  it('tries again after a 4xx, a dropped connection, a refused sender or login', () => {
    expect(deliveryFailure({ command: 'RCPT TO', responseCode: 450, permanent: false }).kind).toBe('temporary');
    expect(deliveryFailure({ code: 'ECONNECTION', message: 'Connection closed' }).kind).toBe('temporary');
    expect(deliveryFailure({ command: 'MAIL FROM', responseCode: 550, permanent: true }).kind).toBe('temporary');
    expect(deliveryFailure({ code: 'EAUTH', command: 'AUTH PLAIN', responseCode: 535, permanent: true }).kind).toBe(
      'temporary',
    );
  });

  it('waits 1 minute, 10 minutes, 1 hour and 6 hours, then gives up after the fifth try', () => {
    const now = new Date('2026-12-03T10:00:00Z');
    expect([1, 2, 3, 4].map((attempts) => nextAttemptAfter(attempts, now)?.toISOString())).toEqual([
      '2026-12-03T10:01:00.000Z',
      '2026-12-03T10:10:00.000Z',
      '2026-12-03T11:00:00.000Z',
      '2026-12-03T16:00:00.000Z',
    ]);
    expect(maxAttempts).toBe(5);
    expect(nextAttemptAfter(5, now)).toBeNull();
  });
});

describe.each(databaseModes())('mail delivery through a real SMTP server (%s database)', (mode) => {
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await startTestSmtpServer({ refuse: ['nobody@test.example'], drop: ['flaky@test.example'] });
  });
  afterAll(async () => {
    await smtp?.close();
  });
  // The application's SMTP_URL is read when it is built, after the SMTP server above has a port.
  const context = useTestApp(mode, miniDataDir, {
    config: {
      get smtpUrl() {
        return smtp.url;
      },
      mailFrom: 'Passerelle <no-reply@test.example>',
    },
  });
  const db = () => context.database.db;
  const sender = () => smtpSender(smtp.url, 'Passerelle <no-reply@test.example>');
  const outboxRow = (to: string) =>
    db()
      .selectFrom('outbox')
      .select(['sent_at', 'attempts', 'next_attempt_at', 'failed_at', 'last_error'])
      .where('to_email', '=', to)
      .executeTakeFirstOrThrow();
  const receivedBy = (to: string) => smtp.received.filter((mail) => mail.to.includes(to));

  it('sends a waiting mail and marks it sent', async () => {
    const now = new Date('2026-12-03T10:00:00Z');
    await queueMail(db(), 'someone@test.example', 'Welcome to Passerelle', 'The body of the mail.\n');
    expect(await deliverWaitingMails(db(), sender(), { now })).toEqual({ sent: 1, retry: 0, failed: 0, bounced: 0 });
    expect(await outboxRow('someone@test.example')).toEqual({
      sent_at: now,
      attempts: 1,
      next_attempt_at: null,
      failed_at: null,
      last_error: null,
    });
    const [mail] = receivedBy('someone@test.example');
    expect(mail?.raw).toContain('Subject: Welcome to Passerelle');
    expect(mail?.raw).toContain('From: Passerelle <no-reply@test.example>');
    expect(mail?.raw).toContain('The body of the mail.');
    // Sent once: the next round finds nothing to do.
    expect(await deliverWaitingMails(db(), sender(), { now: at(now, minute) })).toEqual({
      sent: 0,
      retry: 0,
      failed: 0,
      bounced: 0,
    });
    expect(receivedBy('someone@test.example')).toHaveLength(1);
  });

  it('marks an address refused with 550 as bouncing, gives the mail up at once, and queues no more for it', async () => {
    const now = new Date('2026-12-03T10:00:00Z');
    await queueMail(db(), 'Nobody@test.example'.toLowerCase(), 'Invitation', 'Join us.\n');
    expect(await deliverWaitingMails(db(), sender(), { now })).toMatchObject({ bounced: 1, sent: 0 });
    const row = await outboxRow('nobody@test.example');
    expect(row).toMatchObject({ sent_at: null, attempts: 1, failed_at: now, next_attempt_at: null });
    expect(row.last_error).toContain('550');
    expect(await isBounced(db(), 'NOBODY@test.example')).toBe(true);
    expect(receivedBy('nobody@test.example')).toEqual([]);

    expect(await queueMail(db(), 'nobody@test.example', 'Another', 'Body.\n')).toBe(false);
    const rows = await db().selectFrom('outbox').select('id').where('to_email', '=', 'nobody@test.example').execute();
    expect(rows).toHaveLength(1);
  });

  it('tries a mail whose connection drops again later, and gives it up after five tries', async () => {
    const t0 = new Date('2026-12-03T10:00:00Z');
    await queueMail(db(), 'flaky@test.example', 'Reset your password', 'A link.\n');
    expect(await deliverWaitingMails(db(), sender(), { now: t0 })).toMatchObject({ retry: 1 });
    let row = await outboxRow('flaky@test.example');
    expect(row).toMatchObject({ sent_at: null, failed_at: null, attempts: 1, next_attempt_at: at(t0, minute) });
    expect(row.last_error).toBeTruthy();

    // Not before its time.
    expect(await deliverWaitingMails(db(), sender(), { now: at(t0, 30_000) })).toMatchObject({ retry: 0 });
    expect((await outboxRow('flaky@test.example')).attempts).toBe(1);

    let now = at(t0, minute);
    for (const [attempts, wait] of [
      [2, 10 * minute],
      [3, 60 * minute],
      [4, 6 * 60 * minute],
    ] as const) {
      expect(await deliverWaitingMails(db(), sender(), { now })).toMatchObject({ retry: 1 });
      row = await outboxRow('flaky@test.example');
      expect(row).toMatchObject({ attempts, failed_at: null, next_attempt_at: at(now, wait) });
      now = at(now, wait);
    }
    expect(await deliverWaitingMails(db(), sender(), { now })).toMatchObject({ failed: 1 });
    expect(await outboxRow('flaky@test.example')).toMatchObject({
      attempts: 5,
      failed_at: now,
      next_attempt_at: null,
      sent_at: null,
    });
    // Given up for good: a day later nothing is tried, and the address is not marked as bouncing.
    expect(await deliverWaitingMails(db(), sender(), { now: at(now, 24 * 60 * minute) })).toMatchObject({
      retry: 0,
      failed: 0,
    });
    expect((await outboxRow('flaky@test.example')).attempts).toBe(5);
    expect(await isBounced(db(), 'flaky@test.example')).toBe(false);
    expect(receivedBy('flaky@test.example')).toEqual([]);
  });

  it('gives up, unsent, a waiting mail to an address that bounced after it was queued', async () => {
    const now = new Date('2026-12-03T10:00:00Z');
    await queueMail(db(), 'later@test.example', 'First', 'One.\n');
    await db().insertInto('mail_bounce').values({ email: 'later@test.example', reason: '550 gone' }).execute();
    expect(await deliverWaitingMails(db(), sender(), { now })).toMatchObject({ sent: 0 });
    expect(await outboxRow('later@test.example')).toMatchObject({ attempts: 0, failed_at: now, sent_at: null });
    expect(receivedBy('later@test.example')).toEqual([]);
  });

  it('gives up a mail whose last try was cut off, once its lease has run out', async () => {
    const now = new Date('2026-12-03T10:00:00Z');
    await db()
      .insertInto('outbox')
      .values({
        to_email: 'cut@test.example',
        subject: 'Cut off',
        body: '.',
        sent_at: null,
        attempts: maxAttempts,
        next_attempt_at: now,
      })
      .execute();
    expect(await deliverWaitingMails(db(), sender(), { now: at(now, -1) })).toMatchObject({ sent: 0 });
    expect((await outboxRow('cut@test.example')).failed_at).toBeNull();
    await deliverWaitingMails(db(), sender(), { now: at(now, claimLeaseMs) });
    expect(await outboxRow('cut@test.example')).toMatchObject({ failed_at: at(now, claimLeaseMs), sent_at: null });
    expect(receivedBy('cut@test.example')).toEqual([]);
  });

  it('sends each mail once when two workers deliver at the same time', async () => {
    const now = new Date('2026-12-03T10:00:00Z');
    const recipients = Array.from({ length: 6 }, (_, index) => `pair-${index}@test.example`);
    for (const to of recipients) await queueMail(db(), to, 'Digest', 'Services to check.\n');
    const reports = await Promise.all([
      deliverWaitingMails(db(), sender(), { now }),
      deliverWaitingMails(db(), sender(), { now }),
    ]);
    expect(reports[0]!.sent + reports[1]!.sent).toBe(6);
    for (const to of recipients) expect(receivedBy(to), to).toHaveLength(1);
  });

  it('lists waiting and failed mails without their bodies, and bounces, to a platform admin only', async () => {
    const listed = await context.app.inject({ url: '/api/admin/mail', headers: adminHeaders });
    expect(listed.statusCode, listed.body).toBe(200);
    const overview = listed.json();
    expect(overview.delivery).toBe('smtp');
    expect(overview.bounces).toEqual(
      expect.arrayContaining([expect.objectContaining({ email: 'nobody@test.example' })]),
    );
    const failed = overview.failed.find((mail: { to: string }) => mail.to === 'flaky@test.example');
    expect(failed).toMatchObject({ subject: 'Reset your password', attempts: 5 });
    expect(failed).not.toHaveProperty('body');
    expect(listed.body).not.toContain('A link.');
    expect(overview.failedCount).toBeGreaterThanOrEqual(4);

    const editor = await signedInAs(db(), 'coordinator', 'testland');
    expect((await context.app.inject({ url: '/api/admin/mail', headers: editor.headers })).statusCode).toBe(403);
    expect((await context.app.inject({ url: '/api/admin/mail' })).statusCode).toBe(401);
  });

  it('clears a bounce for a platform admin, after which mail is queued again', async () => {
    const clear = (headers: Record<string, string>) =>
      context.app.inject({ method: 'DELETE', url: '/api/admin/mail-bounces/NOBODY%40test.example', headers });
    const coordinator = await signedInAs(db(), 'coordinator', 'testland');
    expect((await clear(coordinator.headers)).statusCode).toBe(403);
    expect(await isBounced(db(), 'nobody@test.example')).toBe(true);

    expect((await clear(adminHeaders)).statusCode).toBe(204);
    expect(await isBounced(db(), 'nobody@test.example')).toBe(false);
    const again = await clear(adminHeaders);
    expect(again.statusCode).toBe(404);
    expect(again.json()).toMatchObject({ code: 'not-found.mail-bounce', params: { email: 'nobody@test.example' } });
    expect(await queueMail(db(), 'nobody@test.example', 'Another', 'Body.\n')).toBe(true);
  });

  // Last: once started, the worker goes on every 30 seconds until the application closes.
  it('sends from the background worker of the application when SMTP_URL is set', async () => {
    await queueMail(db(), 'worker@test.example', 'From the worker', 'Sent on its own.\n');
    context.app.startMailWork(() => new Date('2026-12-03T10:00:00Z'));
    await context.app.backgroundTasksSettled();
    expect(receivedBy('worker@test.example')).toHaveLength(1);
    expect((await outboxRow('worker@test.example')).sent_at).toEqual(new Date('2026-12-03T10:00:00Z'));
  });
});
