import { mount } from 'svelte';
import FindApp from './FindApp.svelte';
import { I18n } from './i18n/i18n.svelte';
import './find.css';

/**
 * The newcomers' finder. Coordinators' links into the alliance workspace (`/#/gap-analysis/…`) used to
 * start at `/`, which now leads here: send them on to the workspace.
 */
if (window.location.hash.startsWith('#/')) {
  window.location.replace(`/map${window.location.hash}`);
} else {
  const target = document.getElementById('finder');
  if (!target) throw new Error('find.html must contain an element with id "finder"');
  mount(FindApp, { target, props: { i18n: new I18n() } });
}
