#!/usr/bin/env bash
# Runs once, when the postgres container initialises an empty data folder: the role the site and the
# workers connect as (the migration job grants it row rights only).
set -euo pipefail
psql -v ON_ERROR_STOP=1 -v app_password="$TF_APP_DB_PASSWORD" --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
CREATE ROLE trialfinder_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'app_password';
SQL
