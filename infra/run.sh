#!/usr/bin/env bash
# Runs TrialFinder on this machine: a private PostgreSQL cluster (data under .data/, port 5433
# unless TF_PG_PORT is set), migrations, the shipped snapshot of real studies when the database
# is empty, the worker (Hangfire server) and the site on http://127.0.0.1:5080 (TF_WEB_URL).
# Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=infra/pg.sh
source infra/pg.sh

PG_PORT="${TF_PG_PORT:-5433}"
WEB_URL="${TF_WEB_URL:-http://127.0.0.1:5080}"
DATA_DIR="$PWD/.data/pg"

command -v dotnet >/dev/null || { echo "The .NET SDK (dotnet) is required." >&2; exit 1; }

echo "Starting PostgreSQL on 127.0.0.1:$PG_PORT (data in .data/pg)..."
tf_pg_start "$DATA_DIR" "$PG_PORT"
# Migrations and imports run as the owner role; the worker and the site as trialfinder_app (rows only).
OWNER_CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Database=trialfinder;Username=trialfinder;Password=trialfinder"
APP_CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Database=trialfinder;Username=trialfinder_app;Password=trialfinder_app"
export ConnectionStrings__TrialFinder="$OWNER_CONNECTION"
# Links in e-mails name the site's address; with no SMTP server, e-mails are written to .data/mail.
export Site__BaseUrl="${Site__BaseUrl:-$WEB_URL}"
export Email__PickupDirectory="${Email__PickupDirectory:-$PWD/.data/mail}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# Plain log lines on this terminal (Production would log JSON lines, as the containers do).
export Logging__Console__FormatterName="${Logging__Console__FormatterName:-simple}"

pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "Stopping PostgreSQL..."
  tf_pg_stop "$DATA_DIR"
}
trap cleanup INT TERM EXIT

echo "Building..."
dotnet build TrialFinder.sln -c Release -nologo -v quiet
workers=(dotnet run --no-build -c Release --project workers/TrialFinder.Workers --)
"${workers[@]}" migrate --Database:AppRole=trialfinder_app
"${workers[@]}" import-snapshot --if-empty
# shellcheck source=infra/gazetteer.sh
source infra/gazetteer.sh
export TF_GAZETTEER_DIR="${TF_GAZETTEER_DIR:-$PWD/.data/gazetteer}"
if tf_gazetteer_fetch "$TF_GAZETTEER_DIR"; then
  # Imports again only when the gazetteer files or the import's rules changed since the last import (an upgrade); otherwise it only hashes the files.
  "${workers[@]}" import-places "$TF_GAZETTEER_DIR" --if-changed
else
  echo "warning: could not fetch the gazetteer; searching near a place will not work until it is imported." >&2
fi

# The worker runs below the site's CPU priority: a sync is background work and may wait, a family's search should not
# (at 5k with the 32-connection mix during a full resync: 270-290 → 480-550 requests/s, p99 370-420 → 190-310 ms;
# infra/bench/RESULTS.md). The benchmark runs the worker at the same priority (WORKER_NICE in infra/bench/run.sh).
ConnectionStrings__TrialFinder="$APP_CONNECTION" nice -n 10 "${workers[@]}" serve &
pids+=($!)
ConnectionStrings__TrialFinder="$APP_CONNECTION" ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Production}" \
  dotnet run --no-build -c Release --project src/TrialFinder.Web --no-launch-profile -- --urls "$WEB_URL" &
pids+=($!)

echo "TrialFinder is starting on $WEB_URL (Ctrl-C stops it). E-mails without an SMTP server: $Email__PickupDirectory"
wait -n "${pids[@]}"
