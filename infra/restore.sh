#!/usr/bin/env bash
# Restores a backup made by infra/backup.sh into an empty database, in one transaction (all or nothing).
#
#   infra/restore.sh FILE [DATABASE_URL]
#
# DATABASE_URL (default $TF_DATABASE_URL) names the new, empty database; connect as the role that is to own the
# schema. On a managed PostgreSQL a superuser first creates the database and, in it, the extensions cube and
# earthdistance (README "Deploying"). Then run the workers' `migrate --Database:AppRole=trialfinder_app` as the owner:
# it applies any migration newer than the backup and grants the app role its rights again (privileges are not
# restored, so that a backup restores on a server whose roles differ).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 1 ] || [ $# -gt 2 ] || [ "${1:0:1}" = "-" ]; then
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
file="$1"
url="${2:-${TF_DATABASE_URL:-}}"
[ -n "$url" ] || { echo "Name the database to restore into (DATABASE_URL or TF_DATABASE_URL)." >&2; exit 2; }
[ -f "$file" ] || { echo "No backup at $file." >&2; exit 2; }

# shellcheck source=infra/pg.sh
source infra/pg.sh
pg_bin="$(tf_pg_find_bin 2>/dev/null || dirname "$(command -v pg_restore)")"
[ -x "$pg_bin/pg_restore" ] || { echo "pg_restore not found: install PostgreSQL's client (apt-get install postgresql-client)." >&2; exit 1; }

tables="$("$pg_bin/psql" -X -q -tA --no-password -d "$url" -c \
  "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")"
if [ "$tables" != "0" ]; then
  echo "The target database already has $tables tables: restore only into an empty database." >&2
  exit 1
fi

# pg_restore empties search_path, and earthdistance's ll_to_earth() names its type without a schema, so an index over
# ll_to_earth() cannot be built during the restore (a long-standing PostgreSQL limitation). Those indexes are left
# out of the restore and built right after it with search_path = public.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
earth_indexes="$("$pg_bin/pg_restore" --section=post-data -f - "$file" | sed -n 's/^CREATE INDEX \([^ ]*\) ON .*ll_to_earth.*/\1/p')"
"$pg_bin/pg_restore" --list "$file" >"$work/all.list"
cp "$work/all.list" "$work/main.list"
: >"$work/earth.list"
for index in $earth_indexes; do
  grep -E "^[0-9]+; [0-9]+ [0-9]+ INDEX [^ ]+ $index " "$work/all.list" >>"$work/earth.list"
  sed -i -E "s/^([0-9]+; [0-9]+ [0-9]+ INDEX [^ ]+ $index )/;\1/" "$work/main.list"
done

# Objects are owned by the restoring role; comments on extensions need their owner, and are not needed.
"$pg_bin/pg_restore" --no-owner --no-privileges --no-comments --single-transaction --exit-on-error --no-password \
  --use-list="$work/main.list" --dbname="$url" "$file"
if [ -s "$work/earth.list" ]; then
  "$pg_bin/pg_restore" --no-owner --no-privileges --no-comments --use-list="$work/earth.list" -f - "$file" \
    | sed "s/set_config('search_path', '', false)/set_config('search_path', 'public', false)/" \
    | "$pg_bin/psql" -X -q --no-password -v ON_ERROR_STOP=1 --single-transaction -d "$url" >/dev/null
fi
echo "Restored $file. Next: run the workers' migrate verb with --Database:AppRole=<the app role> as this owner role."
