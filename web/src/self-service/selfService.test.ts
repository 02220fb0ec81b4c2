import { describe, expect, it } from 'vitest';
import { changedFields, localToday } from './selfService';

const service = {
  description: 'Advice on housing',
  openingHours: 'Mo-Fr 09:00-12:00',
  phone: null,
  email: null,
  url: null,
  feesDescription: null,
};

describe('changedFields', () => {
  it('sends only what the form changed, trimmed, and an emptied field as null', () => {
    const draft = {
      description: 'Advice on housing',
      openingHours: '',
      phone: ' +33 5 56 00 00 00 ',
      email: '',
      url: '',
      feesDescription: '',
    };
    expect(changedFields(service, draft)).toEqual({ openingHours: null, phone: '+33 5 56 00 00 00' });
  });

  it('sends nothing when nothing changed', () => {
    const draft = { ...service, phone: '', email: '', url: '', feesDescription: '' } as Record<string, string>;
    expect(changedFields(service, draft as Parameters<typeof changedFields>[1])).toEqual({});
  });
});

describe('localToday', () => {
  it('writes the device’s calendar day', () => {
    expect(localToday(new Date(2028, 1, 29, 23, 30))).toBe('2028-02-29');
  });
});
