/**
 * The floor the finder is measured against: a bare page, no framework, no worker, that downloads what the finder
 * must have before its first results can be shown — the list of parts, then the search packs of the cells nearer
 * than the 30th nearest service (the place's own cell and those whose nearest edge is nearer than it), in
 * parallel — and prints the 20 nearest services to a point as plain text. Whatever the finder does beyond this
 * (its page, its language, its worker, its list, the order of its requests) is what the ratio measures.
 */
export function baselinePage(slug: string, day: string, lat: number, lon: number, cells: readonly string[]): string {
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>baseline</title><body><pre id="out"></pre><script>
(async () => {
  const base = '/api/alliances/${slug}/directory/parts';
  const query = '?from=${day}';
  const cells = ${JSON.stringify(cells)};
  const [index, ...packs] = await Promise.all([
    fetch(base + query).then((r) => r.json()),
    ...cells.map((cell) => fetch(base + '/' + cell + query).then((r) => r.json())),
  ]);
  if (!index.parts) throw new Error('no index');
  const rad = Math.PI / 180, lat = ${lat}, lon = ${lon};
  const found = [];
  for (const pack of packs) {
    const [row, column] = pack.id.split('_').map(Number);
    const south = Math.round(row * 0.5 * 1e6), west = Math.round(column * 0.5 * 1e6);
    for (const service of pack.services) {
      const sLat = (south + service[10]) / 1e6, sLon = (west + service[11]) / 1e6;
      const dLat = (sLat - lat) * rad, dLon = (sLon - lon) * rad;
      const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat * rad) * Math.cos(sLat * rad) * Math.sin(dLon / 2) ** 2;
      found.push([h, service[0]]);
    }
  }
  found.sort((a, b) => a[0] - b[0]);
  const out = document.getElementById('out');
  out.textContent = found.slice(0, 20).map((f) => f[1]).join('\\n');
  out.dataset.ready = '1';
})();
</script></body></html>`;
}
