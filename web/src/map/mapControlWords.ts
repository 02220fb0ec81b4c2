import { t } from '../i18n/pageLanguage.svelte';

/**
 * MapLibre's own words (the map's name read out, the zoom buttons, the credits toggle) in the page's language, as
 * its `locale` option takes them.
 */
export function mapControlWords(): Record<string, string> {
  return {
    'Map.Title': t('map.controls.map'),
    'NavigationControl.ZoomIn': t('map.controls.zoomIn'),
    'NavigationControl.ZoomOut': t('map.controls.zoomOut'),
    'NavigationControl.ResetBearing': t('map.controls.resetBearing'),
    'AttributionControl.ToggleAttribution': t('map.controls.toggleAttribution'),
  };
}
