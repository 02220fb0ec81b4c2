import { describe, expect, it } from 'vitest';
import {
  barrierBlocks,
  blocksBike,
  blocksDrive,
  blocksWalk,
  durationSeconds,
  maxspeedKmh,
  roadOfWay,
} from '../../server/src/domain/road-network/profiles.js';

const tags = (entries: Record<string, string>) => new Map(Object.entries(entries));
const directions = (entries: Record<string, string>) => {
  const road = roadOfWay(tags(entries));
  if (!road) return null;
  const of = (d: { forward: boolean; backward: boolean }) => `${d.forward ? '→' : ''}${d.backward ? '←' : ''}` || '-';
  return `walk ${of(road.walk)} bike ${of(road.bike)} drive ${of(road.drive)}`;
};

describe('reading a way’s tags', () => {
  it('gives each profile its directions', () => {
    expect(directions({ highway: 'residential' })).toBe('walk →← bike →← drive →←');
    expect(directions({ highway: 'residential', oneway: 'yes' })).toBe('walk →← bike → drive →');
    expect(directions({ highway: 'residential', oneway: '-1' })).toBe('walk →← bike ← drive ←');
    expect(directions({ highway: 'residential', oneway: 'yes', 'oneway:bicycle': 'no' })).toBe(
      'walk →← bike →← drive →',
    );
    expect(directions({ highway: 'residential', oneway: 'yes', cycleway: 'opposite_lane' })).toBe(
      'walk →← bike →← drive →',
    );
    expect(directions({ highway: 'primary', junction: 'roundabout' })).toBe('walk →← bike → drive →');
    expect(directions({ highway: 'motorway' })).toBe('walk - bike - drive →');
    expect(directions({ highway: 'motorway', oneway: 'no' })).toBe('walk - bike - drive →←');
    expect(directions({ highway: 'trunk' })).toBe('walk - bike →← drive →←');
    expect(directions({ highway: 'trunk', foot: 'yes' })).toBe('walk →← bike →← drive →←');
    expect(directions({ highway: 'footway' })).toBe('walk →← bike →← drive -');
    expect(directions({ highway: 'footway', bicycle: 'no' })).toBe('walk →← bike - drive -');
    expect(directions({ highway: 'steps' })).toBe('walk →← bike - drive -');
    expect(directions({ highway: 'path', foot: 'no' })).toBe('walk - bike →← drive -');
    expect(directions({ highway: 'service', access: 'private' })).toBeNull();
    expect(directions({ highway: 'service', access: 'private', foot: 'yes' })).toBe('walk →← bike - drive -');
    expect(directions({ highway: 'residential', motor_vehicle: 'no' })).toBe('walk →← bike →← drive -');
    expect(directions({ highway: 'residential', access: 'no', motorcar: 'destination' })).toBe(
      'walk - bike - drive →←',
    );
    expect(directions({ highway: 'track', motor_vehicle: 'agricultural' })).toBe('walk →← bike →← drive -');
    expect(directions({ highway: 'proposed' })).toBeNull();
    expect(directions({ highway: 'pedestrian', area: 'yes' })).toBeNull();
    expect(directions({ building: 'yes' })).toBeNull();
  });

  it('lets ferries carry whom their tags allow, cars unless refused', () => {
    expect(directions({ route: 'ferry' })).toBe('walk →← bike →← drive →←');
    expect(directions({ route: 'ferry', motor_vehicle: 'no' })).toBe('walk →← bike →← drive -');
    expect(directions({ route: 'ferry', foot: 'no', bicycle: 'no' })).toBe('walk - bike - drive →←');
    expect(directions({ route: 'ferry', oneway: 'yes' })).toBe('walk → bike → drive →');
    expect(roadOfWay(tags({ route: 'ferry', duration: '1:30' }))?.durationS).toBe(5400);
  });
});

describe('speed limits and durations', () => {
  it('reads maxspeed in km/h, mph, knots and implicit limits', () => {
    expect(maxspeedKmh('50')).toBe(50);
    expect(maxspeedKmh('30 mph')).toBeCloseTo(48.280_32, 5);
    expect(maxspeedKmh('10 knots')).toBeCloseTo(18.52, 5);
    expect(maxspeedKmh('FR:urban')).toBe(50);
    expect(maxspeedKmh('FR:rural')).toBe(80);
    expect(maxspeedKmh('DE:rural')).toBe(100);
    expect(maxspeedKmh('IT:urban')).toBe(50);
    expect(maxspeedKmh('none')).toBeNull();
    expect(maxspeedKmh('signals')).toBeNull();
    expect(maxspeedKmh('50;30')).toBeNull();
    expect(maxspeedKmh(undefined)).toBeNull();
  });

  it('reads a ferry’s duration as HH:MM, H:MM:SS or minutes', () => {
    expect(durationSeconds('00:20')).toBe(1200);
    expect(durationSeconds('1:05:30')).toBe(3930);
    expect(durationSeconds('45')).toBe(2700);
    expect(durationSeconds('soon')).toBeNull();
    expect(durationSeconds('0:00')).toBeNull();
  });
});

describe('barriers', () => {
  it('block the profiles they stop, unless their access tags let them through', () => {
    expect(barrierBlocks(tags({ barrier: 'bollard' }))).toBe(blocksDrive);
    expect(barrierBlocks(tags({ barrier: 'bollard', motor_vehicle: 'yes' }))).toBe(0);
    expect(barrierBlocks(tags({ barrier: 'wall' }))).toBe(blocksWalk | blocksBike | blocksDrive);
    expect(barrierBlocks(tags({ barrier: 'fence', foot: 'yes' }))).toBe(blocksBike | blocksDrive);
    expect(barrierBlocks(tags({ barrier: 'stile' }))).toBe(blocksBike | blocksDrive);
    expect(barrierBlocks(tags({ barrier: 'gate' }))).toBe(0);
    expect(barrierBlocks(tags({ barrier: 'gate', access: 'no', foot: 'yes' }))).toBe(blocksBike | blocksDrive);
    expect(barrierBlocks(tags({ barrier: 'cattle_grid' }))).toBe(0);
    expect(barrierBlocks(tags({ highway: 'crossing' }))).toBe(0);
  });
});
