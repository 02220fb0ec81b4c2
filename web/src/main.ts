import { mount } from 'svelte';
import App from './App.svelte';
import { pageLanguage } from './i18n/pageLanguage.svelte';
import { startEarlyRequests } from './workspace/earlyRequests';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html must contain an element with id "app"');

// The first paint is already in the reader's language: its messages load before the page mounts, and the page's
// first requests (session, alliances, categories) meanwhile.
startEarlyRequests();
export default pageLanguage
  .use(pageLanguage.preferred())
  .catch(() => pageLanguage.use('en'))
  .then(() => mount(App, { target }));
