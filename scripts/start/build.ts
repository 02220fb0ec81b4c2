import path from 'node:path';
import { projectRoot } from '../../server/src/projectRoot.js';
import { buildFrontEnd, viteBuild } from './frontEndBuild.js';
import { buildServerBundle } from './serverBundle.mjs';

/**
 * `npm run build`: `vite build` of the front end into web/dist, which then keeps the hash of the sources it was
 * built from (web/dist/.inputs-sha256), and the server's bundle into server/dist (with its own stamp), so that
 * `npm start` after it builds neither again.
 */
await Promise.all([
  buildFrontEnd({
    root: projectRoot,
    distDir: path.join(projectRoot, 'web/dist'),
    build: viteBuild(projectRoot, 'info'),
  }),
  buildServerBundle({ root: projectRoot, outDir: path.join(projectRoot, 'server/dist') }),
]);
