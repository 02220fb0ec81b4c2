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

/**
 * Geodesic distance on the WGS84 ellipsoid by Vincenty's inverse formula (1975), iterated to 1e-14 rad: the
 * distance PostGIS measures on geography, computed apart from it. Not for nearly antipodal points.
 */
export function vincentyInverseMetres(from: { lat: number; lon: number }, to: { lat: number; lon: number }): number {
  const a = 6378137;
  const f = 1 / 298.257223563;
  const b = a * (1 - f);
  const radians = (degrees: number) => (degrees * Math.PI) / 180;
  const L = radians(to.lon - from.lon);
  const U1 = Math.atan((1 - f) * Math.tan(radians(from.lat)));
  const U2 = Math.atan((1 - f) * Math.tan(radians(to.lat)));
  const [sinU1, cosU1, sinU2, cosU2] = [Math.sin(U1), Math.cos(U1), Math.sin(U2), Math.cos(U2)];
  let lambda = L;
  for (let iteration = 0; iteration < 200; iteration++) {
    const [sinLambda, cosLambda] = [Math.sin(lambda), Math.cos(lambda)];
    const sinSigma = Math.hypot(cosU2 * sinLambda, cosU1 * sinU2 - sinU1 * cosU2 * cosLambda);
    if (sinSigma === 0) return 0;
    const cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosLambda;
    const sigma = Math.atan2(sinSigma, cosSigma);
    const sinAlpha = (cosU1 * cosU2 * sinLambda) / sinSigma;
    const cos2Alpha = 1 - sinAlpha ** 2;
    const cos2SigmaM = cos2Alpha === 0 ? 0 : cosSigma - (2 * sinU1 * sinU2) / cos2Alpha;
    const C = (f / 16) * cos2Alpha * (4 + f * (4 - 3 * cos2Alpha));
    const previous = lambda;
    lambda =
      L + (1 - C) * f * sinAlpha * (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM ** 2)));
    if (Math.abs(lambda - previous) < 1e-14) {
      const u2 = (cos2Alpha * (a ** 2 - b ** 2)) / b ** 2;
      const A = 1 + (u2 / 16384) * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)));
      const B = (u2 / 1024) * (256 + u2 * (-128 + u2 * (74 - 47 * u2)));
      const deltaSigma =
        B *
        sinSigma *
        (cos2SigmaM +
          (B / 4) *
            (cosSigma * (-1 + 2 * cos2SigmaM ** 2) -
              (B / 6) * cos2SigmaM * (-3 + 4 * sinSigma ** 2) * (-3 + 4 * cos2SigmaM ** 2)));
      return b * A * (sigma - deltaSigma);
    }
  }
  throw new Error('Vincenty’s inverse formula did not converge.');
}
