import { describe, expect, it } from 'vitest';
import { bodyOf, draftOf, draftProblem, emptyDraft } from './closureForm';

describe('a closure being written', () => {
  it('is refused before it is sent when it ends before it starts', () => {
    expect(draftProblem({ ...emptyDraft('2026-12-20'), endsOn: '2026-12-19' })).toBe(
      'closures.problem.endsBeforeStart',
    );
    expect(draftProblem(emptyDraft('2026-12-20'))).toBeNull();
  });

  it('asks for the hours when the service opens at special hours, and for both days', () => {
    expect(draftProblem({ ...emptyDraft('2026-12-20'), kind: 'specialHours' })).toBe('closures.problem.hoursMissing');
    expect(draftProblem({ ...emptyDraft('2026-12-20'), endsOn: '' })).toBe('closures.problem.datesMissing');
  });

  it('sends null hours for a closure and leaves an empty note out, and reads a closure back', () => {
    const draft = { ...emptyDraft('2026-12-20'), endsOn: '2027-01-04', openingHours: 'Mo 10:00-12:00', note: '  ' };
    expect(bodyOf(draft)).toEqual({ startsOn: '2026-12-20', endsOn: '2027-01-04', openingHours: null, note: null });
    const special = { ...draft, kind: 'specialHours' as const, note: 'Winter plan' };
    expect(bodyOf(special)).toEqual({
      startsOn: '2026-12-20',
      endsOn: '2027-01-04',
      openingHours: 'Mo 10:00-12:00',
      note: 'Winter plan',
    });
    const closure = { id: 'c', serviceId: 's', reopensOn: '2027-01-05', version: 1, ...bodyOf(special) };
    expect(draftOf(closure)).toEqual(special);
  });
});
