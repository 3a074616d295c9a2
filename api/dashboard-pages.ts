/**
 * Serves the built dashboard (web/dist, built by `npm install` and `npm start`) under
 * /dashboard/, and sends `/` there. The pages are public; the data behind them needs the
 * bearer token the page asks for once and keeps in the browser session. Built assets carry
 * a content hash in their names, so they are cached for good; index.html is revalidated.
 */
import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import helmet from 'helmet';

/** Where the dashboard is mounted (the web build's `base`). */
export const DASHBOARD_BASE = '/dashboard';

export const DEFAULT_DASHBOARD_DIR = path.resolve(__dirname, '..', 'web', 'dist');

/**
 * The API's CSP (helmet's defaults: scripts, styles, fonts, images and requests from 'self'
 * only) without `upgrade-insecure-requests`: that directive makes a browser fetch the page's
 * own scripts over https, which breaks the dashboard wherever the API is reached over plain
 * http by a name other than localhost (an office LAN). Behind TLS it changes nothing.
 */
const pageCsp = helmet.contentSecurityPolicy({ directives: { upgradeInsecureRequests: null } });

export function dashboardPages(dir: string = DEFAULT_DASHBOARD_DIR): Router {
  const router = Router();
  router.get('/', (_req, res) => res.redirect(302, `${DASHBOARD_BASE}/`));
  router.use(
    `${DASHBOARD_BASE}/assets`,
    express.static(path.join(dir, 'assets'), {
      immutable: true,
      maxAge: '1y',
      index: false,
      fallthrough: true,
    }),
  );
  // Without strict routing "/dashboard" and "/dashboard/" reach the same route: one canonical URL.
  router.get(DASHBOARD_BASE, pageCsp, (req, res) => {
    if (!req.originalUrl.split('?')[0]!.endsWith('/')) {
      res.redirect(301, `${DASHBOARD_BASE}/`);
      return;
    }
    const index = path.join(dir, 'index.html');
    if (!fs.existsSync(index)) {
      res
        .status(503)
        .type('text/plain; charset=utf-8')
        .send(
          'The dashboard is not built. Run `npm run build:web` (npm install and npm start build it).\n',
        );
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  router.use(DASHBOARD_BASE, express.static(dir, { index: false, maxAge: '1h' }));
  return router;
}
