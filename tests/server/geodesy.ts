/**
 * Length of the WGS84 meridian arc between two latitudes on the same
 * meridian, from Helmert's series (error far below a millimetre), so that
 * distance tests compare PostGIS with an independent computation.
 */
export function meridianArcMetres(fromLatDeg: number, toLatDeg: number): number {
  const a = 6378137;
  const f = 1 / 298.257223563;
  const n = f / (2 - f);
  const [n2, n3, n4] = [n ** 2, n ** 3, n ** 4];
  const scale = (a / (1 + n)) * (1 + n2 / 4 + n4 / 64);
  const arc = (latDeg: number) => {
    const phi = (latDeg * Math.PI) / 180;
    return (
      scale *
      (phi -
        ((3 / 2) * n - (9 / 16) * n3) * Math.sin(2 * phi) +
        ((15 / 16) * n2 - (15 / 32) * n4) * Math.sin(4 * phi) -
        (35 / 48) * n3 * Math.sin(6 * phi) +
        (315 / 512) * n4 * Math.sin(8 * phi))
    );
  };
  return Math.abs(arc(toLatDeg) - arc(fromLatDeg));
}
