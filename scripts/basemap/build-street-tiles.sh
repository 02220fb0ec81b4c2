#!/usr/bin/env bash
# Makes the street base map file that BASEMAP_TILES names, from an OpenStreetMap extract:
#   osmium extract (the alliance's box) -> tilemaker (OpenMapTiles schema, a z/x/y.pbf folder) -> one PMTiles file.
# Usage: scripts/basemap/build-street-tiles.sh <extract.osm.pbf> <west,south,east,north> <output.pmtiles>
# Needs osmium-tool and tilemaker (Debian: apt-get install osmium-tool tilemaker) and the project's npm packages.
set -euo pipefail

if [ $# -ne 3 ]; then
  echo "Usage: $0 <extract.osm.pbf> <west,south,east,north> <output.pmtiles>" >&2
  exit 2
fi
input=$1
bbox=$2
output=$3
here="$(cd "$(dirname "$0")" && pwd)"

for tool in osmium tilemaker; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed (Debian: apt-get install osmium-tool tilemaker)." >&2; exit 1; }
done
if ! [[ $bbox =~ ^-?[0-9.]+,-?[0-9.]+,-?[0-9.]+,-?[0-9.]+$ ]]; then
  echo "The box must be west,south,east,north in degrees, e.g. -0.75,44.75,-0.45,44.95, not \"$bbox\"." >&2
  exit 2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

osmium extract --bbox "$bbox" --set-bounds --strategy complete_ways "$input" -o "$work/region.osm.pbf" --overwrite
# A folder rather than MBTiles: the converter below reads it without an SQLite library.
tilemaker --input "$work/region.osm.pbf" --output "$work/tiles" --bbox "$bbox" \
  --config "$here/config-openmaptiles.json" --process "$here/process-openmaptiles.lua"
npx tsx "$here/tilesFolderToPmtiles.ts" "$work/tiles" "$output"
