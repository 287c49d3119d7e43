#!/bin/sh
# Applies the metrics database's migrations (the *.sql files next to this script, in file-name order) with psql, once
# each, and records them in public.schema_migrations (version, SHA-256 of the file, when). Connection from the
# standard libpq variables (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD, PGSSLMODE, PGSSLROOTCERT).
#
# - A file runs in one transaction with its record (psql --single-transaction): it is applied whole or not at all.
#   A file whose name ends in _notx.sql holds statements PostgreSQL refuses in a transaction (CREATE DATABASE): it runs
#   statement by statement, so it must be idempotent by itself, and is recorded after it succeeded.
# - An applied file that changed since is an error (write a new migration instead): nothing runs.
# - A failure stops at the failing statement with PostgreSQL's message and exits non-zero.
# - Running it again applies nothing and exits 0.
# - One runner at a time: the caller (one Kubernetes Job, or one person) guarantees it.
set -eu

DIR=$(cd "$(dirname "$0")" && pwd)
PSQL="psql --no-psqlrc --quiet -v ON_ERROR_STOP=1"

$PSQL -c "CREATE TABLE IF NOT EXISTS public.schema_migrations (version text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"

applied=0
for file in "$DIR"/[0-9]*.sql; do
  version=$(basename "$file" .sql)
  checksum=$(sha256sum "$file" | cut -c1-64)
  recorded=$($PSQL -tA -v version="$version" <<'SQL'
SELECT checksum FROM public.schema_migrations WHERE version = :'version';
SQL
)
  if [ -n "$recorded" ]; then
    if [ "$recorded" != "$checksum" ]; then
      echo "migrate: $version was applied with checksum $recorded and has changed since ($checksum): write a new migration instead" >&2
      exit 1
    fi
    continue
  fi
  echo "migrate: applying $version"
  record="INSERT INTO public.schema_migrations (version, checksum) VALUES ('$version', '$checksum')"
  case "$file" in
    *_notx.sql) $PSQL -f "$file" && $PSQL -c "$record" ;;
    *) $PSQL --single-transaction -f "$file" -c "$record" ;;
  esac
  applied=$((applied + 1))
done
echo "migrate: $applied applied, the database is up to date"
