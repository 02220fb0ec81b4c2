import path from 'node:path';
import { projectRoot } from '../../server/src/projectRoot.js';
import { startServer } from '../../server/src/startServer.js';
import { buildFrontEndIfChanged } from './frontEndBuild.js';

/**
 * `npm start`: builds the front end when its sources changed since the last build, in a process of its own while
 * the database opens and migrates here, and starts Passerelle once both are done.
 */
const frontEndReady = buildFrontEndIfChanged({
  root: projectRoot,
  distDir: path.join(projectRoot, 'web/dist'),
  log: (message) => console.log(message),
});
await startServer({ frontEndReady });
