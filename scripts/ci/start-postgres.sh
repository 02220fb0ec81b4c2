#!/usr/bin/env bash
# Starts Debian's PostgreSQL 15 cluster (creating it if needed) and exports a
# DATABASE_URL for a role that may create databases and the PostGIS extension.
# Meant to be sourced by .ci/run; also usable by hand on a development machine.
set -euo pipefail

PG_VERSION=15
PG_CLUSTER=main
PG_PORT="${PG_PORT:-5432}"

if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^${PG_VERSION} ${PG_CLUSTER}$"; then
  pg_createcluster "$PG_VERSION" "$PG_CLUSTER" --port "$PG_PORT" >/dev/null
fi
if ! pg_lsclusters -h | grep "^${PG_VERSION} ${PG_CLUSTER} " | grep -q online; then
  pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start
fi
PG_PORT=$(pg_lsclusters -h | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1==v && $2==c {print $3}')

for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p "$PG_PORT" && break
  sleep 1
done

# Test databases are created and dropped freely and need CREATE EXTENSION postgis:
# a superuser role, on a throwaway CI cluster only.
su postgres -c "psql -q -p $PG_PORT -v ON_ERROR_STOP=1" <<SQL
do \$\$ begin
  if not exists (select from pg_roles where rolname = 'passerelle') then
    create role passerelle login superuser password 'passerelle';
  end if;
end \$\$;
select 'create database passerelle owner passerelle'
  where not exists (select from pg_database where datname = 'passerelle') \gexec
SQL

export DATABASE_URL="postgres://passerelle:passerelle@127.0.0.1:${PG_PORT}/passerelle"
echo "PostgreSQL ${PG_VERSION} is up: DATABASE_URL=${DATABASE_URL}"
