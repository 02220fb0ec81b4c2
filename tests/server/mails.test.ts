import { describe, expect, it } from 'vitest';
import { mailFiles, type MailMessage } from '../../server/src/domain/accounts/mailer.js';
import { workspaceLanguages } from '../../server/src/domain/accounts/workspaceLanguages.js';
import { signedInAs } from '../support/accounts.js';
import { useTestApp } from '../support/testApp.js';
import { databaseModes } from '../support/testDatabase.js';

const placeholders = (text: string) => [...new Set(text.match(/\{\w+\}/g) ?? [])].sort();

describe('mail files', () => {
  const english = mailFiles.en;

  it('has one file per workspace language, each with every key of the English one and no other', () => {
    expect(Object.keys(mailFiles).sort()).toEqual([...workspaceLanguages].sort());
    for (const language of workspaceLanguages) {
      expect(Object.keys(mailFiles[language]).sort(), language).toEqual(Object.keys(english).sort());
    }
  });

  it('keeps the placeholders of each English text, and plural forms name only {count} and have "other"', () => {
    for (const language of workspaceLanguages) {
      for (const [key, value] of Object.entries(mailFiles[language]) as [string, MailMessage][]) {
        const source = english[key as keyof typeof english];
        if (typeof source === 'string') {
          expect(typeof value, `${language} ${key}`).toBe('string');
          expect(placeholders(value as string), `${language} ${key}`).toEqual(placeholders(source));
          continue;
        }
        expect(typeof value, `${language} ${key}`).toBe('object');
        const forms = value as Record<string, string>;
        expect(forms.other, `${language} ${key}`).toBeDefined();
        const rules = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
        for (const [form, text] of Object.entries(forms)) {
          expect(rules, `${language} ${key} ${form}`).toContain(form);
          for (const name of placeholders(text)) expect(name, `${language} ${key} ${form}`).toBe('{count}');
        }
      }
    }
  });
});

describe.each(databaseModes())('mails in the recipient’s language (%s database)', (mode) => {
  const context = useTestApp(mode);
  const db = () => context.database.db;
  const setLanguage = (accountId: string, language: string | null) =>
    db().updateTable('account').set({ language }).where('id', '=', accountId).execute();
  const mailsTo = (email: string) =>
    db().selectFrom('outbox').select(['subject', 'body']).where('to_email', '=', email).orderBy('id').execute();
  const askReset = (email: string) =>
    context.app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email } });
  const invite = (headers: Record<string, string>, body: object) =>
    context.app.inject({ method: 'POST', url: '/api/alliances/testland/invitations', headers, payload: body });

  /** The reset mail is queued after the answer has gone. */
  async function resetMail(email: string) {
    await context.app.backgroundTasksSettled();
    const [mail] = await mailsTo(email);
    return mail!;
  }

  it('writes a password reset in the account’s language: Arabic, with the dual of hours', async () => {
    const person = await signedInAs(db(), 'member', 'testland');
    await setLanguage(person.accountId, 'ar');
    expect((await askReset(person.email)).statusCode).toBe(202);
    const mail = await resetMail(person.email);
    expect(mail.subject).toBe('اختر كلمة مرور جديدة لحسابك على Passerelle');
    expect(mail.body).toContain('افتح هذا الرابط خلال ساعتين لاختيارها');
    expect(mail.body).toContain(person.email);
    expect(mail.body).toMatch(/\/map#\/password-reset\/[A-Za-z0-9_-]+/);
  });

  it('writes a password reset in the alliance’s first language to an account that chose none', async () => {
    const person = await signedInAs(db(), 'member', 'testland');
    await askReset(person.email);
    const mail = await resetMail(person.email);
    expect(mail.subject).toBe('Choisissez un nouveau mot de passe pour Passerelle');
    expect(mail.body).toContain('Ouvrez ce lien dans un délai de 2 heures pour le choisir :');
  });

  it('writes an invitation to someone new in the language the inviter chose, else the alliance’s', async () => {
    const coordinator = await signedInAs(db(), 'coordinator', 'testland', { displayName: 'Camille' });
    expect(
      (await invite(coordinator.headers, { email: 'amal@test.example', role: 'member', language: 'ar' })).statusCode,
    ).toBe(201);
    const [arabic] = await mailsTo('amal@test.example');
    expect(arabic!.subject).toBe('دعوة للانضمام إلى Test alliance — Testland على Passerelle');
    expect(arabic!.body).toMatch(
      /^يدعوك Camille إلى الانضمام إلى Test alliance — Testland على Passerelle، بدور «عضو»\./,
    );
    expect(arabic!.body).toContain('خلال 7 أيام');

    await invite(coordinator.headers, { email: 'jeanne@test.example', role: 'editor' });
    const [french] = await mailsTo('jeanne@test.example');
    expect(french!.subject).toBe('Invitation à rejoindre Test alliance — Testland sur Passerelle');
    expect(french!.body).toMatch(
      /^Camille vous invite à rejoindre Test alliance — Testland sur Passerelle, avec le rôle « édition »\./,
    );
    expect(french!.body).toContain('dans un délai de 7 jours');
  });

  it('writes an invitation to an existing account in that account’s language, whatever the inviter chose', async () => {
    const coordinator = await signedInAs(db(), 'coordinator', 'testland', { displayName: 'Camille' });
    const outsider = await signedInAs(db(), null, 'testland');
    await setLanguage(outsider.accountId, 'uk');
    await invite(coordinator.headers, { email: outsider.email, role: 'member', language: 'fr' });
    const [mail] = await mailsTo(outsider.email);
    expect(mail!.subject).toBe('Запрошення до Test alliance — Testland на Passerelle');
    expect(mail!.body).toContain('протягом 7 днів');
  });
});

describe.each(databaseModes())('an account’s language (%s database)', (mode) => {
  const context = useTestApp(mode);
  const patch = (headers: Record<string, string>, payload: object) =>
    context.app.inject({ method: 'PATCH', url: '/api/auth/me', headers, payload });
  const me = async (headers: Record<string, string>) =>
    (await context.app.inject({ url: '/api/auth/me', headers: { cookie: headers.cookie! } })).json();

  it('is null until chosen, then set, read back by the session endpoint, and cleared', async () => {
    const person = await signedInAs(context.database.db, 'member', 'testland');
    expect((await me(person.headers)).account.language).toBeNull();
    const chosen = await patch(person.headers, { language: 'fr' });
    expect(chosen.statusCode).toBe(200);
    expect(chosen.json().account.language).toBe('fr');
    expect((await me(person.headers)).account).toMatchObject({ language: 'fr', email: person.email });
    expect((await patch(person.headers, { language: null })).json().account.language).toBeNull();
  });

  it('refuses a language the workspace is not written in, with a coded answer', async () => {
    const person = await signedInAs(context.database.db, 'member', 'testland');
    const refused = await patch(person.headers, { language: 'ti' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'validation.enum', params: { where: 'body', field: 'language' } });
    expect(refused.json().params.allowed).toBe('en, fr, nl, sv, de, es, ar, uk');
    expect((await me(person.headers)).account.language).toBeNull();
  });
});
