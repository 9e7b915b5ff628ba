#!/bin/sh
# Run once by the postgres image on an empty data directory (docker-entrypoint-initdb.d): one login role per
# service, named after its schema and owning only that schema, so that no service connects as the superuser
# and none can touch another's tables. The passwords come from the compose file's variables.
set -eu
for pair in "healing:$HEALING_DB_PASSWORD" "loadbalancer:$LOADBALANCER_DB_PASSWORD" "recovery:$RECOVERY_DB_PASSWORD"; do
  user=${pair%%:*}
  password=${pair#*:}
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
       -v user="$user" -v password="$password" <<'SQL'
CREATE ROLE :"user" LOGIN PASSWORD :'password';
CREATE SCHEMA :"user" AUTHORIZATION :"user";
-- nothing in public (PostgreSQL 15 already denies CREATE there to non-owners; said here explicitly)
REVOKE CREATE ON SCHEMA public FROM :"user";
SQL
done
