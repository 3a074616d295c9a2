// Prisma CLI configuration. The native schema engine cannot be downloaded in our build
// environments, so migrations run through the WASM schema engine ("js") over the pg adapter.
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

export default defineConfig({
  experimental: { adapter: true },
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  engine: 'js',
  async adapter() {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL must be set to run Prisma migrations');
    return new PrismaPg({ connectionString: url });
  },
});
