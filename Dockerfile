# syntax=docker/dockerfile:1.7
#
# The images of the directive cascade engine. The default target (runtime) serves every
# long-running role; the first argument picks it:
#   api      the REST API (tsx api/index.ts), port 3000
#   worker   a Temporal worker (tsx worker/index.ts); run as many as you like
# Anything else is executed as given (e.g. `docker compose run --rm api sh`).
# The `migrate` target runs `prisma migrate deploy` (WASM schema engine through
# prisma.config.ts) and exits. The Prisma CLI is a devDependency: the runtime image is
# installed with --omit=dev (npm may still bring the CLI as @prisma/client's optional peer;
# the migration does not rely on that).
#
#   docker build -t directive-cascade .
#   docker build --target migrate -t directive-cascade-migrate .
#   docker run --rm -e DATABASE_URL=... directive-cascade-migrate
#
# Needs BuildKit (the default builder of Docker 23+ and of `docker compose`).

# Node.js 22, the active LTS line (20 reaches its end of life in April 2026).
ARG NODE_IMAGE=node:22-bookworm-slim

# ---------------------------------------------------------------- all dependencies (build only)
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
COPY package.json package-lock.json ./
COPY patches ./patches
# `npm ci` only: exactly what the lock file pins, or the build fails (the lock lists every
# platform's optional packages; tests/compose.test.ts checks it). --ignore-scripts: no
# install script is needed. The native pieces (Temporal core bridge, @swc/core, esbuild)
# ship as prebuilt platform packages; @prisma/engines' postinstall would try to download
# native engines we do not use (the client runs over the pg driver adapter, migrations over
# the WASM schema engine); embedded-postgres is only for the no-DATABASE_URL local mode.
# The patches are applied by hand (the postinstall does not run): the migration image needs
# the pg adapter's (prisma.config.ts).
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts && npx --no-install patch-package --error-on-fail

# ---------------------------------------------------------------- build
FROM deps AS build
COPY . .
# `prisma generate` wants engine files even for engineType = "client"; they cannot be
# downloaded, and generation does not run them, so any existing file will do. The URL is
# only there because the schema's datasource reads env("DATABASE_URL"). Then the dashboard
# (web/ → web/dist: type-checked and bundled by Vite, both devDependencies).
RUN PRISMA_SCHEMA_ENGINE_BINARY=/bin/true \
    PRISMA_QUERY_ENGINE_LIBRARY=/bin/true \
    DATABASE_URL=postgresql://build:build@localhost:5432/build \
    npx prisma generate \
 && test -f read-model/generated/prisma/index.js \
 && npx tsx stack/web-build.ts \
 && rm -rf node_modules

# ---------------------------------------------------------------- production dependencies
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
COPY package.json package-lock.json ./
COPY patches ./patches
# No devDependencies (test tools, the Prisma CLI, Vite, TypeScript) in what runs. The patches
# of dependencies (patches/: WORKFLOW_STACK_TRACES in the Temporal SDK, PostgreSQL's `name` type
# in the pg adapter) are applied here, since --ignore-scripts skips the postinstall that applies
# them elsewhere; they fail the build if they no longer fit the locked versions.
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts && npx --no-install patch-package --error-on-fail

# ---------------------------------------------------------------- entry point
FROM ${NODE_IMAGE} AS entrypoint
# tsx is exec'd directly rather than through `npx`: npm exec does not pass SIGTERM on, so
# `docker stop` would kill the worker without a graceful shutdown. tsx relays signals to
# the node process it starts.
COPY --chmod=0755 <<'EOF' /usr/local/bin/cascade
#!/bin/sh
set -e
role="${1:-api}"
[ "$#" -gt 0 ] && shift
case "$role" in
  api)     exec tsx api/index.ts "$@" ;;
  worker)  export NODE_OPTIONS="--max-old-space-size=${WORKER_MAX_HEAP_MB:-768} ${NODE_OPTIONS:-}"
           exec tsx worker/index.ts "$@" ;;
  migrate) exec prisma migrate deploy "$@" ;;
  *)       exec "$role" "$@" ;;
esac
EOF

# ---------------------------------------------------------------- migrate (one-shot)
FROM ${NODE_IMAGE} AS migrate
ENV NODE_ENV=production \
    PATH=/app/node_modules/.bin:$PATH \
    CHECKPOINT_DISABLE=1 \
    PRISMA_HIDE_UPDATE_MESSAGE=1
WORKDIR /app
COPY --from=build /app /app
COPY --from=deps /app/node_modules /app/node_modules
COPY --from=entrypoint /usr/local/bin/cascade /usr/local/bin/cascade
USER node
ENTRYPOINT ["cascade"]
CMD ["migrate"]

# ---------------------------------------------------------------- runtime (api, worker)
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PATH=/app/node_modules/.bin:$PATH \
    DATA_DIR=/app/.data \
    CHECKPOINT_DISABLE=1 \
    PRISMA_HIDE_UPDATE_MESSAGE=1 \
    NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
# Code and dependencies stay owned by root (read-only for the app); only DATA_DIR is writable.
COPY --from=build /app /app
COPY --from=prod-deps /app/node_modules /app/node_modules
COPY --from=entrypoint /usr/local/bin/cascade /usr/local/bin/cascade
RUN mkdir -p /app/.data && chown node:node /app/.data

USER node
EXPOSE 3000
ENTRYPOINT ["cascade"]
CMD ["api"]
