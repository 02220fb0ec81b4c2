import { describe, expect, it } from 'vitest';
import { effectSummary } from './actionEffect';
import type { ActionEffect } from './actionPlan';

const zones = (people: number[]) =>
  people.map((count, index) => ({
    limit: 600 * (index + 1),
    populationNewlyWithin: count,
    populationNoLongerWithin: 0,
  }));

function effectOf(added: ActionEffect['scenario']['added'], offNetwork: number[] = []): ActionEffect {
  const counts = { flaggedUnits: 2, populationWithoutServiceWithinReach: 4500, regionalMean: 1 };
  return {
    run: { id: 'run', travel: 'drive', startedAt: '2026-12-01T08:00:00Z' },
    scenario: {
      id: 'scenario',
      runId: 'run',
      label: null,
      added,
      removed: [],
      createdAt: '2026-12-01T09:00:00Z',
      outcome: {
        unit: 's',
        addedOffNetwork: offNetwork,
        subjects: [
          {
            kind: 'category',
            subject: 'social_action',
            limits: zones([0, 3000, 4000]),
            before: counts,
            after: counts,
            areasNoLongerFlagged: ['c'],
            areasNewlyFlagged: [],
            changedAreas: ['c'],
          },
          {
            kind: 'category',
            subject: 'professional_integration',
            limits: zones([10, 20, 30]),
            before: counts,
            after: counts,
            areasNoLongerFlagged: [],
            areasNewlyFlagged: [],
            changedAreas: [],
          },
        ],
      },
    },
  };
}

describe('effectSummary', () => {
  it('tells the widest zone of the action’s own category, and the areas it unflags', () => {
    const effect = effectOf([
      { lon: 2, lat: 45, category: 'professional_integration' },
      { lon: 2.5, lat: 45.5, category: 'social_action', planActionId: 'a1' },
    ]);
    expect(effectSummary(effect, 'a1')).toEqual({
      category: 'social_action',
      people: 4000,
      limit: 1800,
      unit: 's',
      areas: 1,
      offNetwork: false,
    });
  });

  it('says when the planned place is off the network, and nothing for an action the scenario lacks', () => {
    const effect = effectOf([{ lon: 9, lat: 9, category: 'social_action', planActionId: 'a1' }], [0]);
    expect(effectSummary(effect, 'a1')?.offNetwork).toBe(true);
    expect(effectSummary(effect, 'other')).toBeNull();
  });
});
