#!/bin/sh
# Runs once, from /docker-entrypoint-initdb.d, when the postgres container starts on an
# empty data directory: creates the least-privilege roles of roles.sql.
set -eu
: "${CASCADE_MIGRATOR_PASSWORD:?}" "${CASCADE_APP_DB_PASSWORD:?}" "${TEMPORAL_DB_PASSWORD:?}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_db="$POSTGRES_DB" \
  -v migrator_role="${CASCADE_MIGRATOR_USER:-cascade_migrator}" -v migrator_password="$CASCADE_MIGRATOR_PASSWORD" \
  -v app_role="${CASCADE_APP_DB_USER:-cascade_app}" -v app_password="$CASCADE_APP_DB_PASSWORD" \
  -v temporal_role="${TEMPORAL_DB_USER:-temporal}" -v temporal_password="$TEMPORAL_DB_PASSWORD" \
  -f /etc/directive-cascade/roles.sql
