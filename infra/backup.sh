#!/usr/bin/env bash
# Backs up TrialFinder's database — catalogue, accounts, bookmarks, saved searches, audit log, data-protection
# keys and the Hangfire schema (jobs, schedules) — into one pg_dump custom-format file.
#
#   infra/backup.sh FILE [DATABASE_URL]
#
# DATABASE_URL is a libpq address (postgresql://user:password@host:port/trialfinder?sslmode=require), by default
# $TF_DATABASE_URL, else the private cluster of infra/run.sh (127.0.0.1:${TF_PG_PORT:-5433}). Connect as the owner
# role (or any role that may read every table). The dump is consistent (one snapshot) while the site and the
# workers keep running. infra/restore.sh restores it.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 1 ] || [ $# -gt 2 ] || [ "${1:0:1}" = "-" ]; then
  sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
file="$1"
url="${2:-${TF_DATABASE_URL:-postgresql://trialfinder:trialfinder@127.0.0.1:${TF_PG_PORT:-5433}/trialfinder}}"

# pg_dump of the newest installed PostgreSQL (a dump must not come from an older pg_dump than the server).
# shellcheck source=infra/pg.sh
source infra/pg.sh
pg_bin="$(tf_pg_find_bin 2>/dev/null || dirname "$(command -v pg_dump)")"
[ -x "$pg_bin/pg_dump" ] || { echo "pg_dump not found: install PostgreSQL's client (apt-get install postgresql-client)." >&2; exit 1; }

tmp="$file.partial"
trap 'rm -f "$tmp"' EXIT
# Without the columns' lz4 compression (migration StudyColumnsLz4Compression): a server built without lz4 could not
# restore the dump in one transaction. Restored columns take the server's default; values keep what they were stored with.
"$pg_bin/pg_dump" --format=custom --compress=6 --no-toast-compression --no-password --file="$tmp" --dbname="$url"
mv "$tmp" "$file"
trap - EXIT
echo "Backed up to $file ($(du -h "$file" | cut -f1)): $("$pg_bin/pg_restore" --list "$file" | grep -c ' TABLE DATA ') tables with their data, Hangfire's included."
