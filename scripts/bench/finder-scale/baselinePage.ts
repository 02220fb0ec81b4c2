/**
 * The floor the finder is measured against: a bare page, no framework, no worker, that downloads the same
 * compact directory (the list of parts, then every part in parallel) and prints the 20 nearest services to a
 * point as plain text. Whatever the finder does beyond this (its page, its language, its worker, its list) is
 * what the ratio measures.
 */
export function baselinePage(slug: string, day: string, lat: number, lon: number): string {
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>baseline</title><body><pre id="out"></pre><script>
(async () => {
  const base = '/api/alliances/${slug}/directory/parts';
  const query = '?from=${day}';
  const index = await (await fetch(base + query)).json();
  const parts = await Promise.all(index.parts.map(async (p) => (await fetch(base + '/' + p.id + query)).json()));
  const rad = Math.PI / 180, lat = ${lat}, lon = ${lon};
  const found = [];
  for (const part of parts) for (const row of part.services) {
    const dLat = (row[22] - lat) * rad, dLon = (row[23] - lon) * rad;
    const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat * rad) * Math.cos(row[22] * rad) * Math.sin(dLon / 2) ** 2;
    found.push([h, row[2]]);
  }
  found.sort((a, b) => a[0] - b[0]);
  const out = document.getElementById('out');
  out.textContent = found.slice(0, 20).map((f) => f[1]).join('\\n');
  out.dataset.ready = '1';
})();
</script></body></html>`;
}
