import { startServer } from './startServer.js';

/** Runs Passerelle: the front end must be built already (`npm run build`; `npm start` builds it when it changed). */
await startServer();
