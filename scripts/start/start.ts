import path from 'node:path';
import { projectRoot } from '../../server/src/projectRoot.js';
import { startServer } from '../../server/src/startServer.js';
import { buildFrontEndIfChanged } from './frontEndBuild.js';

/**
 * `npm start` (through run.mjs, which runs this from the server bundle): builds the front end when its sources
 * changed since the last build, in a process of its own while the database opens and migrates here, and starts
 * Passerelle once both are done. The front end's sources are hashed once startServer has started the embedded
 * database's thread (a microtask later), so that the hashing does not delay it.
 */
const frontEndReady = Promise.resolve().then(() =>
  buildFrontEndIfChanged({
    root: projectRoot,
    distDir: path.join(projectRoot, 'web/dist'),
    log: (message) => console.log(message),
  }),
);
await startServer({ frontEndReady });
