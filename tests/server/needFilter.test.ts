import { describe, expect, it } from 'vitest';
import { needs, serviceMeetsNeed } from '#contract/taxonomy/needs.js';
import { databaseModes } from '../support/testDatabase.js';
import { useTestApp } from '../support/testApp.js';

interface Summary {
  name: string;
  category: string;
  topics: string[];
}

describe.each(databaseModes())('the need filter of the service APIs (%s database)', (mode) => {
  const context = useTestApp(mode);
  const names = async (url: string) =>
    ((await context.app.inject({ url })).json().items as Summary[]).map((service) => service.name);

  it.each([
    ['housing', ['Alpha housing advice']],
    ['advice', ['Alpha housing advice', 'Gamma social desk']],
    ['work', ['Beta job coaching']],
    ['people', ['Alpha football club']],
    ['health', []],
  ])('need=%s lists the services that meet it', async (need, expected) => {
    expect(await names(`/api/services?need=${need}`)).toEqual(expected);
  });

  it('means in SQL what serviceMeetsNeed means in the finder, for every need', async () => {
    const all = (await context.app.inject({ url: '/api/services?limit=500' })).json().items as Summary[];
    for (const need of needs) {
      const expected = all.filter((service) => serviceMeetsNeed(need, service)).map((service) => service.name);
      expect(await names(`/api/services?need=${need.id}&limit=500`)).toEqual(expected);
    }
  });

  it('filters the near-me search too, nearest first', async () => {
    const near = 'lat=44.84&lon=-0.58&radius_m=50000';
    expect(await names(`/api/services/nearby?${near}&need=advice`)).toEqual([
      'Alpha housing advice',
      'Gamma social desk',
    ]);
    expect(await names(`/api/services/nearby?${near}&need=work`)).toEqual(['Beta job coaching']);
    expect(await names(`/api/services/nearby?${near}&need=food`)).toEqual([]);
  });

  it('refuses an unknown need with the list of known ones', async () => {
    const response = await context.app.inject({ url: '/api/services?need=flying' });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toBe(
      'Query parameter "need" must be one of: language, work, health, housing, papers, advice, people, family, food.',
    );
  });
});
