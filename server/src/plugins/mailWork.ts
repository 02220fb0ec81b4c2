import fp from 'fastify-plugin';
import { sendDueDigests } from '../domain/freshness/digest.js';
import { deliverWaitingMails } from '../domain/mail/delivery.js';
import { smtpSender } from '../domain/mail/smtpSender.js';

/** How often the outbox is looked at when a mail server is configured, and how often a digest may be due. */
export const deliveryEveryMs = 30_000;
export const digestCheckEveryMs = 60 * 60_000;

export interface MailWorkOptions {
  /** SMTP_URL: without it nothing is sent, and mails wait in the outbox for another program. */
  smtpUrl?: string | undefined;
  mailFrom?: string | undefined;
  publicUrl?: string | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Starts the mail work that runs on its own: delivering the outbox every 30 seconds when SMTP_URL is set,
     * and checking every hour whether an alliance's monthly digest is due (`clock`: the time it goes by). Called
     * by `startServer.ts` once the application listens; closing the application stops it.
     */
    startMailWork(clock?: () => Date): void;
  }
}

export const mailWorkPlugin = fp<MailWorkOptions>(
  async (app, options) => {
    let sender: ReturnType<typeof smtpSender> | undefined;
    app.addHook('onClose', async () => {
      await app.backgroundTasksSettled();
      sender?.close();
    });
    app.decorate('startMailWork', (clock: () => Date = () => new Date()) => {
      if (options.smtpUrl) {
        const smtp = smtpSender(options.smtpUrl, options.mailFrom ?? 'Passerelle <no-reply@localhost>');
        sender = smtp;
        app.repeatInBackground('mail delivery', deliveryEveryMs, app.log, async () => {
          await deliverWaitingMails(app.db, smtp, { now: clock(), log: app.log });
        });
      } else {
        app.log.info('SMTP_URL is not set: mails wait in the outbox table, none is sent');
      }
      app.repeatInBackground('monthly digest', digestCheckEveryMs, app.log, async () => {
        await sendDueDigests(app.db, { now: clock(), publicUrl: options.publicUrl, log: app.log });
      });
    });
  },
  { name: 'mail-work', dependencies: ['background-tasks', 'database'] },
);
