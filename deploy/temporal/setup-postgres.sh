#!/bin/sh
# One-shot schema setup for the Temporal server (run by the `temporal-schema` service with the
# temporalio/admin-tools image), as Temporal's own compose files do now that `auto-setup` is deprecated.
# Idempotent: `create` tolerates an existing database, setup-schema -v 0.0 then update-schema migrate to
# the schema version the admin-tools image ships, so an image upgrade re-runs it to migrate.
set -eu
: "${POSTGRES_SEEDS:?}" "${POSTGRES_USER:?}" "${SQL_PASSWORD:?}"
PORT="${DB_PORT:-5432}"
SCHEMA_DIR=/etc/temporal/schema/postgresql/v12

echo "Waiting for PostgreSQL at ${POSTGRES_SEEDS}:${PORT}..."
until nc -z -w 5 "$POSTGRES_SEEDS" "$PORT"; do sleep 1; done

sql() { temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -u "$POSTGRES_USER" -p "$PORT" "$@"; }

for db in temporal:temporal temporal_visibility:visibility; do
  name="${db%%:*}"
  dir="${db##*:}"
  sql --db "$name" create || echo "database $name exists"
  sql --db "$name" setup-schema -v 0.0
  sql --db "$name" update-schema -d "$SCHEMA_DIR/$dir/versioned"
done
echo 'PostgreSQL schema setup complete'
