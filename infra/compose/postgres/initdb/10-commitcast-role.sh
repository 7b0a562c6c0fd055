#!/bin/bash
# Runs once, on the first start of an empty data volume (docker-entrypoint-initdb.d), as the POSTGRES_USER superuser.
# Creates the application role: LOGIN for the api-service (Flyway migrations own the tables and create the
# publication commitcast_pub), REPLICATION for the cdc-connector's logical replication slot. Not a superuser.
# wal_level=logical itself is a server flag: see `command` of the postgres service in docker-compose.yml.
set -euo pipefail
: "${COMMITCAST_DB_NAME:?}" "${COMMITCAST_DB_USER:?}" "${COMMITCAST_DB_PASSWORD:?}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
     -v role="$COMMITCAST_DB_USER" -v password="$COMMITCAST_DB_PASSWORD" -v db="$COMMITCAST_DB_NAME" <<'SQL'
CREATE ROLE :"role" WITH LOGIN REPLICATION PASSWORD :'password';
-- Owning the database also owns its public schema (pg_database_owner, Postgres 15+): migrations may create there.
CREATE DATABASE :"db" OWNER :"role";
SQL
