import { beforeAll, describe, expect, it } from 'vitest';
import { signedInAs, type TestActor } from '../support/accounts.js';
import { databaseModes } from '../support/testDatabase.js';
import { useTestApp } from '../support/testApp.js';

const texts = { vision: 'Every newcomer finds help within 10 km.', charter: 'We, the partners, commit to…' };

describe.each(databaseModes())("an alliance's vision and charter (%s database)", (mode) => {
  const context = useTestApp(mode);
  let member: TestActor;
  let outsider: TestActor;

  const alliance = (actor?: TestActor) =>
    context.app.inject({ url: '/api/alliances/testland', headers: actor?.headers ?? {} });
  const setPublished = (published: boolean) =>
    context.database.db.updateTable('alliance').set({ profile_published: published }).execute();

  beforeAll(async () => {
    const db = context.database.db;
    await db.updateTable('alliance').set(texts).where('slug', '=', 'testland').execute();
    member = await signedInAs(db, 'member', 'testland');
    outsider = await signedInAs(db, null, 'testland');
  });

  it('are not given to the public before the profile is published', async () => {
    await setPublished(false);
    const response = await alliance();
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ slug: 'testland', vision: null, charter: null, profilePublished: false });
  });

  it('are not given to someone signed in who is not a member, before the profile is published', async () => {
    await setPublished(false);
    expect((await alliance(outsider)).json()).toMatchObject({ vision: null, charter: null });
  });

  it("are given to the alliance's members before the profile is published", async () => {
    await setPublished(false);
    expect((await alliance(member)).json()).toMatchObject(texts);
  });

  it('are given to everyone once the profile is published', async () => {
    await setPublished(true);
    expect((await alliance()).json()).toMatchObject({ ...texts, profilePublished: true });
  });
});
