import nodemailer from 'nodemailer';
import type { MailSender } from './delivery.js';

/**
 * A sender through the SMTP server of `url` (`smtp://` or `smtps://`, with `user:password@` when it asks for a
 * login), writing from `from`. Its waits are short, well within `claimLeaseMs`: a mail server that does not
 * answer makes a try fail and the mail wait for the next one, instead of holding the worker.
 */
export function smtpSender(url: string, from: string): MailSender & { close(): void } {
  const transport = nodemailer.createTransport(
    { url, connectionTimeout: 20_000, greetingTimeout: 20_000, socketTimeout: 60_000 },
    { from },
  );
  return {
    async send(mail) {
      await transport.sendMail({
        to: mail.to,
        subject: mail.subject,
        text: mail.body,
        // Out-of-office replies and the like are not sent back to a machine (RFC 3834).
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
    },
    close() {
      transport.close();
    },
  };
}
