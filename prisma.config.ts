// Prisma CLI configuration. The native schema engine cannot be downloaded in our build
// environments, so migrations run through the WASM schema engine ("js") over the pg adapter.
//
// prisma, @prisma/client and @prisma/adapter-pg are all pinned to 6.19.3, one release line:
// - Prisma 7 has no WASM path for `migrate`: its CLI fetches the native schema engine from
//   binaries.prisma.sh and fails offline, so 7.x cannot apply our migrations here.
// - @prisma/adapter-pg 6.19.3 cannot read PostgreSQL's `name` type (the catalog columns the
//   schema engine reads when it sets up `_prisma_migrations`); patches/@prisma+adapter-pg+6.19.3.patch
//   maps it to text, as adapter-pg 7.x does. Moving to another 6.19.x means checking the patch.
// The container images apply the patch too (Dockerfile).
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

export default defineConfig({
  experimental: { adapter: true },
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  engine: 'js',
  async adapter() {
    // The CLI's own configuration, outside the application (runtime/config.ts is not in the
    // migration image).
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL must be set to run Prisma migrations');
    return new PrismaPg({ connectionString: url });
  },
});
