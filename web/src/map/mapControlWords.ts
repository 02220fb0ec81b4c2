import type { Translate } from '../i18n/translate';

/**
 * MapLibre's own words (the map's name read out, the zoom buttons, the credits toggle) in the page's language, as
 * its `locale` option takes them, from the `map.controls.*` messages of the translator given: the workspace's
 * `t` or the finder's, whose message files both have them.
 */
export function mapControlWords(translate: Translate): Record<string, string> {
  return {
    'Map.Title': translate('map.controls.map'),
    'NavigationControl.ZoomIn': translate('map.controls.zoomIn'),
    'NavigationControl.ZoomOut': translate('map.controls.zoomOut'),
    'NavigationControl.ResetBearing': translate('map.controls.resetBearing'),
    'AttributionControl.ToggleAttribution': translate('map.controls.toggleAttribution'),
  };
}
