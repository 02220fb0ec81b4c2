import path from 'node:path';
import { projectRoot } from '../../server/src/config.js';
import { buildFrontEnd, viteBuild } from './frontEndBuild.js';

/**
 * `npm run build`: `vite build` of the front end into web/dist, which then keeps the hash of the sources it was
 * built from (web/dist/.inputs-sha256), so that `npm start` after it does not build the same sources again.
 */
await buildFrontEnd({
  root: projectRoot,
  distDir: path.join(projectRoot, 'web/dist'),
  build: viteBuild(projectRoot, 'info'),
});
