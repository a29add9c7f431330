import { createApp } from './app.js';
import { StoreUnavailableError, appDeps } from './compose.js';
import { loadConfig } from './config.js';
import { createLogger } from './lib/log.js';

const SHUTDOWN_TIMEOUT_MS = 5000;

let config;
try {
  config = loadConfig();
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
const log = createLogger(config.LOG_LEVEL);
let deps;
try {
  deps = await appDeps(config, { log });
} catch (err) {
  if (!(err instanceof StoreUnavailableError)) throw err;
  log.fatal(err.message);
  console.error(err.message);
  process.exit(1);
}
const app = createApp(deps);

await app.ready;
app.httpServer.listen(config.PORT, config.HOST, () => {
  const address = app.httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const history = config.DATABASE_URL === undefined ? 'sqlite' : 'postgres';
  log.info(
    { host: config.HOST, port, dataDir: config.DATA_DIR, history, nodeId: config.NODE_ID },
    `listening on http://localhost:${port}`,
  );
  // A page on an origin missing here gets a blank widget: say at start which ones may embed the chat.
  const origins = config.CORS_ORIGINS;
  log.info(
    { allowedOrigins: origins },
    `pages may embed the chat from: this server's own origin${origins.length ? `, ${origins.join(', ')}` : ' only (CORS_ORIGINS is empty)'}`,
  );
});
app.httpServer.on('error', (err: NodeJS.ErrnoException) => {
  const message = listenFailure(err, config.HOST, config.PORT);
  log.fatal({ err }, message);
  console.error(message);
  process.exit(1);
});

/** Why the server could not listen, in plain words for the operator. */
function listenFailure(err: NodeJS.ErrnoException, host: string, port: number): string {
  if (err.code === 'EADDRINUSE') return `port ${port} is in use (${host}:${port}): stop the other server or set PORT`;
  if (err.code === 'EACCES') return `port ${port} needs more privileges (${host}:${port}): use a port above 1023`;
  if (err.code === 'EADDRNOTAVAIL') return `HOST ${host} is not an address of this machine`;
  return `the server failed: ${err.message}`;
}

function shutdown(signal: string): void {
  log.info({ signal }, 'shutting down');
  setTimeout(() => {
    log.error('shutdown took too long');
    process.exit(1);
  }, SHUTDOWN_TIMEOUT_MS).unref();
  app.close().then(
    () => process.exit(0),
    (err) => {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    },
  );
}
process.once('SIGTERM', () => shutdown('SIGTERM'));
process.once('SIGINT', () => shutdown('SIGINT'));
