/**
 * `npm run example`: the demo host site on http://localhost:4000, embedding Parley from PARLEY_URL.
 * Start Parley with the same secret and this site's origin allowed, e.g.
 *   AUTH_SECRET=$(openssl rand -hex 32) CORS_ORIGINS=http://localhost:4000 npm start
 *   AUTH_SECRET=<the same> npm run example
 */
import { createHostSite } from './site.js';

const authSecret = process.env.AUTH_SECRET ?? '';
if (Buffer.byteLength(authSecret) < 32) {
  console.error('AUTH_SECRET: set it to the same value as the Parley server (at least 32 bytes)');
  process.exit(1);
}
const chatUrl = process.env.PARLEY_URL ?? 'http://localhost:3000';
const port = Number(process.env.PORT ?? 4000);
createHostSite({ authSecret, chatUrl }).listen(port, () => {
  console.log(`host site on http://localhost:${port}, embedding the chat from ${chatUrl}`);
});
