/**
 * Average H3 hexagon area and edge per resolution (h3geo.org's table), shown next to the choice so that a
 * coordinator sees what "resolution 7" means on the ground.
 */
export const h3CellSizes: Record<number, { areaKm2: string; edgeKm: string }> = {
  5: { areaKm2: '≈ 250 km²', edgeKm: '≈ 8.5 km' },
  6: { areaKm2: '≈ 36 km²', edgeKm: '≈ 3.2 km' },
  7: { areaKm2: '≈ 5 km²', edgeKm: '≈ 1.2 km' },
  8: { areaKm2: '≈ 0.7 km²', edgeKm: '≈ 0.5 km' },
};

export const h3ResolutionChoices = [5, 6, 7, 8] as const;

export function unitsDescription(units: { kind: string; resolution?: number }, unitSetName?: string): string {
  if (units.kind === 'h3' && units.resolution !== undefined) {
    const size = h3CellSizes[units.resolution];
    return `H3 hexagons, resolution ${units.resolution}${size ? ` (${size.areaKm2} each)` : ''}`;
  }
  return unitSetName ? `Imported areas: ${unitSetName}` : 'Imported areas';
}
