/**
 * The dashboard's build: `npm run build:web` (also run by `npm install` and `npm start`)
 * writes web/dist, which the API serves under /dashboard/. `npx vite web` is a dev server
 * with the API proxied to a running `npm start`.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/dashboard/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', reportCompressedSize: false },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
