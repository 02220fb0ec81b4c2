import Supercluster from 'supercluster';
import type { Feature, Point } from 'geojson';
import type { BBox, ServicePointProperties } from '../api/types';

export type ServicePointFeature = Feature<Point, ServicePointProperties>;

/**
 * Per-category service counts of a cluster, keyed `category:<id>`. Kept flat because supercluster copies
 * cluster properties shallowly: a nested object would be shared between zoom levels and double-counted.
 */
export type ClusterCategoryCounts = Record<string, number>;

export type ServiceIndex = Supercluster<ServicePointProperties, ClusterCategoryCounts>;

export type ServiceMapItem =
  | { kind: 'cluster'; clusterId: number; lon: number; lat: number; count: number; categoryCounts: Map<string, number> }
  | { kind: 'service'; lon: number; lat: number; service: ServicePointProperties };

/** Above this zoom the index stops splitting clusters, so services sharing one point stay one cluster. */
export const CLUSTER_MAX_ZOOM = 16;
const CLUSTER_RADIUS_PX = 56;
const COUNT_KEY_PREFIX = 'category:';

export function createServiceIndex(points: readonly ServicePointFeature[]): ServiceIndex {
  const index: ServiceIndex = new Supercluster({
    radius: CLUSTER_RADIUS_PX,
    maxZoom: CLUSTER_MAX_ZOOM,
    map: (service) => ({ [COUNT_KEY_PREFIX + service.category]: 1 }),
    reduce: (accumulated, counts) => {
      for (const [key, count] of Object.entries(counts)) {
        if (!key.startsWith(COUNT_KEY_PREFIX)) continue;
        accumulated[key] = (accumulated[key] ?? 0) + count;
      }
    },
  });
  index.load([...points]);
  return index;
}

function categoryCountsOf(properties: Record<string, unknown>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [key, value] of Object.entries(properties)) {
    if (key.startsWith(COUNT_KEY_PREFIX) && typeof value === 'number') {
      counts.set(key.slice(COUNT_KEY_PREFIX.length), value);
    }
  }
  return counts;
}

/** Clusters and single services to draw for a view. */
export function serviceMapItems(index: ServiceIndex, bbox: BBox, zoom: number): ServiceMapItem[] {
  // Never ask for a zoom above the index's last clustered level: beyond it supercluster returns raw points,
  // and services at the same town centre would be drawn on top of each other, unreachable.
  const clusterZoom = Math.min(Math.floor(zoom), CLUSTER_MAX_ZOOM);
  const west = Math.max(bbox[0], -180);
  const east = Math.min(bbox[2], 180);
  return index.getClusters([west, bbox[1], east, bbox[3]], clusterZoom).map((feature): ServiceMapItem => {
    const [lon, lat] = feature.geometry.coordinates as [number, number];
    const properties = feature.properties;
    if ('cluster' in properties && properties.cluster) {
      return {
        kind: 'cluster',
        clusterId: properties.cluster_id,
        lon,
        lat,
        count: properties.point_count,
        categoryCounts: categoryCountsOf(properties),
      };
    }
    return { kind: 'service', lon, lat, service: properties as ServicePointProperties };
  });
}

/**
 * True when zooming in can never split the cluster: its services share one point (town-level coordinates
 * make this common), or sit so close that they stay together up to the last clustered zoom.
 */
export function clusterCannotSplit(index: ServiceIndex, clusterId: number): boolean {
  if (index.getClusterExpansionZoom(clusterId) > CLUSTER_MAX_ZOOM) return true;
  const leaves = index.getLeaves(clusterId, Infinity);
  const first = leaves[0];
  if (!first) return false;
  const [lon, lat] = first.geometry.coordinates;
  return leaves.every(({ geometry }) => geometry.coordinates[0] === lon && geometry.coordinates[1] === lat);
}

export function clusterServices(index: ServiceIndex, clusterId: number): ServicePointProperties[] {
  return index.getLeaves(clusterId, Infinity).map((leaf) => leaf.properties);
}
