#!/usr/bin/env bash
# Benchmarks of TrialFinder at a given catalogue size (issue 11), self-contained from a fresh clone:
#
#   infra/bench/run.sh [--size tiny|5k|100k] [--out FILE] [--rebuild] [--no-build] [--ingest-limit SECONDS]
#
# Starts its own PostgreSQL cluster (infra/pg.sh; data in .data/bench-SIZE/, on a free port), builds Release,
# fetches the gazetteer, migrates and imports places, serves the generated scale catalogue (tiny 300, 5k 5,000,
# 100k 100,000 studies, seed 1) through the registry replay (TrialFinder.ScaleData) and measures:
#   ingest (full sync into an empty catalogue, worker peak RSS) beside raw COPY of the same documents into a
#   jsonb table; a full sync and an incremental sync with nothing changed; every query kind of the fixed mix
#   (infra/bench/queries.tsv) alone at 1 connection and its SQL run directly (TrialFinder.Bench sql, with
#   EXPLAIN (ANALYZE, BUFFERS)); the whole mix at 1 and 32 connections (wrk + infra/bench/mix.lua); the
#   32-connection mix again during a full resync in which every study changed; the site's cold start, page
#   weights and peak RSS; BenchmarkDotNet for the hot pure code (TrialFinder.Benchmarks).
# Writes Markdown to infra/bench/RESULTS-SIZE.md (or --out), and, for the default 5k and 100k outputs,
# infra/bench/RESULTS.md with the sizes side by side against the targets of issue 11.
#
# The 100k database is built once and kept (.data/bench-100k/) while its generator count and seed match;
# a run that reuses it reports the ingest figures of the run that built it. --rebuild builds it again.
# tiny and 5k are rebuilt on every run. Figures are reported, never asserted: the script fails only when
# something does not work (a step exits non-zero, a query of the mix does not answer 200).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
# shellcheck source=infra/pg.sh
source infra/pg.sh
# shellcheck source=infra/gazetteer.sh
source infra/gazetteer.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

SIZE=5k OUT="" REBUILD=0 BUILD=1 INGEST_LIMIT=2400
while [ $# -gt 0 ]; do
  case "$1" in
    --size) SIZE="${2:?--size needs tiny, 5k or 100k}"; shift 2 ;;
    --out) OUT="${2:?--out needs a file}"; shift 2 ;;
    --rebuild) REBUILD=1; shift ;;
    --no-build) BUILD=0; shift ;;
    --ingest-limit) INGEST_LIMIT="${2:?--ingest-limit needs seconds}"; shift 2 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

SEED=1
# Seconds of each measurement: a query kind alone, the warm-up, the whole mix, the mix during the resync.
case "$SIZE" in
  tiny) COUNT=300;    KIND_S=3;  WARM_S=2; MIX_S=5;  RESYNC_S=5;  SQL_S=2;  BDN_JOB=--short ;;
  5k)   COUNT=5000;   KIND_S=10; WARM_S=5; MIX_S=20; RESYNC_S=30; SQL_S=5;  BDN_JOB="" ;;
  100k) COUNT=100000; KIND_S=10; WARM_S=5; MIX_S=30; RESYNC_S=60; SQL_S=10; BDN_JOB="" ;;
  *) echo "--size is tiny, 5k or 100k" >&2; exit 2 ;;
esac
DEFAULT_OUT="infra/bench/RESULTS-$SIZE.md"
OUT="${OUT:-$DEFAULT_OUT}"
WORK="$ROOT/.data/bench-$SIZE"
LOGS="$WORK/logs"
rm -rf "$LOGS"
mkdir -p "$LOGS" "$(dirname "$OUT")"
FIGURES="$WORK/figures.tsv"       # key<TAB>value<TAB>unit<TAB>load
COMMANDS="$WORK/commands.txt"
: >"$FIGURES"
: >"$COMMANDS"

# What the script says goes to fd 3 (stderr), so a step's own output redirected to a log never swallows it.
exec 3>&2
say() { echo "[bench $SIZE $(date +%H:%M:%S)] $*" >&3; }
# Prints and records a command, then runs it.
run() {
  say "\$ $*"
  printf '%s\n' "$*" >>"$COMMANDS"
  "$@"
}
note_command() { say "\$ $*"; printf '%s\n' "$*" >>"$COMMANDS"; }
load1() { cut -d' ' -f1 /proc/loadavg; }
now() { date +%s.%N; }
# calc EXPR: floating-point arithmetic (awk), printed with the given format (default %.1f).
calc() { awk "BEGIN { printf \"${2:-%.1f}\", ($1) }"; }
LOAD_START="" LOAD=""
measure_start() { LOAD_START="$(load1)"; }
measure_end() { LOAD="$LOAD_START → $(load1)"; }
# figure KEY VALUE [UNIT]: one figure, with the load average of the measurement it came from.
figure() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "${3:-}" "$LOAD" >>"$FIGURES"; }
fig() { awk -F'\t' -v k="$1" '$1 == k { v = $2 } END { print (v == "" ? "—" : v) }' "$FIGURES"; }

pids=()
PG_DIR="$WORK/pg"
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for file in "$LOGS"/*.pid; do [ -f "$file" ] && pids+=("$(cat "$file")"); done
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  tf_pg_stop "$PG_DIR" 2>/dev/null || true
  [ "$rc" -eq 0 ] || say "FAILED (exit $rc); logs in $LOGS"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A free TCP port on 127.0.0.1 in [LOW, HIGH).
free_port() {
  local low="$1" high="$2" port
  for _ in $(seq 1 200); do
    port=$((low + RANDOM % (high - low)))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "no free port in $low-$high" >&2
  return 1
}

apt_install() {
  local sudo=""
  [ "$(id -u)" = "0" ] || sudo="sudo"
  run $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive run $sudo apt-get install -y -qq "$@" >/dev/null
}

# ---------------------------------------------------------------------------------------------- tools
command -v dotnet >/dev/null || { echo "The .NET SDK (dotnet) is required." >&2; exit 1; }
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v curl >/dev/null || missing+=(curl ca-certificates)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]} with apt"
  apt_install "${missing[@]}"
fi

# ---------------------------------------------------------------------------------------------- PostgreSQL
PG_PORT="$(free_port 26000 27000)"
say "PostgreSQL cluster in .data/bench-$SIZE/pg on 127.0.0.1:$PG_PORT"
tf_pg_ensure_installed
tf_pg_stop "$PG_DIR"   # a cluster left running by an interrupted run listens on another port
note_command tf_pg_start "$PG_DIR" "$PG_PORT"
tf_pg_start "$PG_DIR" "$PG_PORT"
PG_REAL="$(readlink -f "$PG_DIR")"
sql() { tf_pg_psql "$PG_REAL" "$PG_PORT" "$@"; }
CS="Host=127.0.0.1;Port=$PG_PORT;Database=trialfinder;Username=trialfinder;Password=trialfinder"
export ConnectionStrings__TrialFinder="$CS"

MARKER="$WORK/catalogue"   # "count seed revision" of the catalogue the database holds
REUSE=0
if [ "$SIZE" = "100k" ] && [ "$REBUILD" = "0" ] && [ -f "$MARKER" ] && [ -f "$WORK/ingest-figures.tsv" ] \
  && read -r m_count m_seed m_revision <"$MARKER" && [ "$m_count" = "$COUNT" ] && [ "$m_seed" = "$SEED" ] \
  && [ "$(sql trialfinder -tAc "SELECT count(*) FROM studies" 2>/dev/null || echo 0)" -gt 0 ]; then
  REUSE=1
  REVISION="$m_revision"
  say "reusing the 100k database (count $COUNT, seed $SEED, revision $REVISION); --rebuild builds it again"
else
  REVISION=0
  rm -f "$MARKER" "$WORK/ingest-figures.tsv"
  say "creating an empty database"
  run sql postgres -c "DROP DATABASE IF EXISTS trialfinder WITH (FORCE)" >/dev/null
  run sql postgres -c "CREATE DATABASE trialfinder OWNER trialfinder" >/dev/null
  run sql trialfinder -c "CREATE EXTENSION IF NOT EXISTS cube; CREATE EXTENSION IF NOT EXISTS earthdistance;" >/dev/null
fi

# ---------------------------------------------------------------------------------------------- build
if [ "$BUILD" = "1" ]; then
  run dotnet build TrialFinder.sln -c Release -nologo -v quiet >"$LOGS/build.log" 2>&1 || { tail -30 "$LOGS/build.log" >&2; exit 1; }
fi
BIN=net10.0
# The worker as deployed (infra/docker/Dockerfile.worker): self-contained, ReadyToRun and composite, so a one-shot verb
# does not spend its first second compiling its start-up code (an incremental sync with nothing new at 5k: 2.07 → 1.24 s
# with ReadyToRun alone). A fresh folder each run: files of an earlier way of publishing would stay beside the new ones.
case "$(uname -m)" in aarch64|arm64) RID=linux-arm64 ;; *) RID=linux-x64 ;; esac
PUBLISH_AS_DEPLOYED=(--self-contained true -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true)
rm -rf "$WORK/worker" "$WORK/web"
run dotnet publish workers/TrialFinder.Workers -c Release -r "$RID" "${PUBLISH_AS_DEPLOYED[@]}" \
  -o "$WORK/worker" -nologo -v quiet >"$LOGS/publish-worker.log" 2>&1 || { tail -30 "$LOGS/publish-worker.log" >&2; exit 1; }
WORKER="$WORK/worker/TrialFinder.Workers"
# The site as deployed too (infra/docker/Dockerfile.web), run from its publish folder as the image runs it from /app.
run dotnet publish src/TrialFinder.Web -c Release -r "$RID" "${PUBLISH_AS_DEPLOYED[@]}" \
  -o "$WORK/web" -nologo -v quiet >"$LOGS/publish-web.log" 2>&1 || { tail -30 "$LOGS/publish-web.log" >&2; exit 1; }
WEB="$WORK/web/TrialFinder.Web"
SCALEDATA="$ROOT/tests/TrialFinder.ScaleData/bin/Release/$BIN/TrialFinder.ScaleData"
BENCH="$ROOT/infra/bench/TrialFinder.Bench/bin/Release/$BIN/TrialFinder.Bench"
BENCHMARKS="$ROOT/infra/bench/TrialFinder.Benchmarks/bin/Release/$BIN/TrialFinder.Benchmarks"
for exe in "$WORKER" "$WEB" "$SCALEDATA" "$BENCH" "$BENCHMARKS"; do
  [ -x "$exe" ] || { echo "$exe is missing: build Release first (drop --no-build)" >&2; exit 1; }
done
# The site and the worker are published above on every run, but with --no-build the benchmark's own tools are the
# last Release build's: a tool older than the code would time the old SQL beside the new site (it happened once).
if [ "$BUILD" = "0" ]; then
  for exe in "$SCALEDATA" "$BENCH" "$BENCHMARKS"; do
    # (Stopping at the first newer file closes the pipe early, hence "|| true" under pipefail.)
    newer="$(git ls-files src tests/TrialFinder.ScaleData tests/TrialFinder.Testing infra/bench | grep -E '\.(cs|csproj|json)$' |
      while read -r file; do if [ "$file" -nt "$exe" ]; then echo "$file"; break; fi; done || true)"
    [ -z "$newer" ] || { echo "$exe is older than $newer: build Release first (drop --no-build)" >&2; exit 1; }
  done
fi

# ---------------------------------------------------------------------------------------------- gazetteer, schema, places
GAZ="${TF_GAZETTEER_DIR:-$ROOT/.data/gazetteer}"
note_command tf_gazetteer_fetch "$GAZ"
tf_gazetteer_fetch "$GAZ"
run "$WORKER" migrate >"$LOGS/migrate.log" 2>&1 || { cat "$LOGS/migrate.log" >&2; exit 1; }
run "$WORKER" import-places "$GAZ" --if-empty >"$LOGS/import-places.log" 2>&1 || { cat "$LOGS/import-places.log" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------- the registry replay
# The worker runs as infra/run.sh runs it, below the site's CPU priority; the replay stands in for the registry, which
# is another machine, so it runs at the worker's priority and takes no CPU from the site that the registry would not.
WORKER_NICE=10
REPLAY_PID="" REPLAY_URL=""
# start_replay REVISION NAME: serves the catalogue at that revision on a free port; sets REPLAY_PID, REPLAY_URL.
start_replay() {
  local revision="$1" name="$2" port
  port="$(free_port 27000 28000)"
  note_command nice -n "$WORKER_NICE" "$SCALEDATA" serve --count "$COUNT" --seed "$SEED" --revision "$revision" --urls "http://127.0.0.1:$port" --gazetteer "$GAZ"
  nice -n "$WORKER_NICE" "$SCALEDATA" serve --count "$COUNT" --seed "$SEED" --revision "$revision" --urls "http://127.0.0.1:$port" --gazetteer "$GAZ" \
    >"$LOGS/$name.out" 2>"$LOGS/$name.err" &
  REPLAY_PID=$!
  pids+=("$REPLAY_PID")
  local waited=0
  until [ -s "$LOGS/$name.out" ]; do
    kill -0 "$REPLAY_PID" 2>/dev/null || { cat "$LOGS/$name.err" >&2; echo "the replay stopped" >&2; exit 1; }
    sleep 0.5
    waited=$((waited + 1))
    [ "$waited" -lt 2400 ] || { echo "the replay was not ready in 20 minutes" >&2; exit 1; }
  done
  REPLAY_URL="$(head -n 1 "$LOGS/$name.out")"
  say "$(cat "$LOGS/$name.err")"
}
stop_pid() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# cpu_ticks PID: the process's CPU time (user + system) in clock ticks; with "children", also the CPU of its children
# that have exited (PostgreSQL's backends, once their connection closed) and of those still running.
cpu_ticks() {
  local pid="$1" total child
  total="$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | awk -v c="${2:-}" '{ print $12 + $13 + (c == "children" ? $14 + $15 : 0) }')"
  [ -n "$total" ] || { echo 0; return; }
  if [ "${2:-}" = "children" ]; then
    for child in $(pgrep -P "$pid"); do
      total=$(( total + $(cpu_ticks "$child") ))
    done
  fi
  echo "$total"
}
CLK_TCK="$(getconf CLK_TCK)"
postgres_ticks() { cpu_ticks "$(head -n 1 "$PG_DIR/postmaster.pid")" children; }

# ---------------------------------------------------------------------------------------------- measured worker runs
# run_worker NAME ARGS...: runs the worker as its own process; sets W_SECONDS (wall) and W_CPU_S (user + system CPU),
# both from bash's `time` around the worker, W_RSS_MB (peak, VmHWM polled every 0.2 s), W_RC, W_SUMMARY (its stdout),
# W_SEEN and W_RUN_SECONDS (from the summary) and W_CUT (1 when it was stopped at --ingest-limit). (Until 3dd7d00 the
# wall time was read after the polling loop noticed the exit, up to 0.2 s late, and the CPU at the last poll.)
run_worker() {
  local name="$1"
  shift
  note_command nice -n "$WORKER_NICE" "$WORKER" "$@"
  local start hwm=0 value shell pid=""
  start="$(now)"
  ( LC_ALL=C TIMEFORMAT='%R %U %S'
    { time nice -n "$WORKER_NICE" "$WORKER" "$@" >"$LOGS/$name.out" 2>"$LOGS/$name.err"; } 2>"$LOGS/$name.time" ) &
  shell=$!
  # Both pids, for cleanup: the worker to stop, the subshell (this script's child) to wait for.
  echo "$shell" >"$LOGS/$name.shell.pid"
  W_CUT=0
  while kill -0 "$shell" 2>/dev/null; do
    # The worker is the subshell's one child (nice execs it).
    if [ -z "$pid" ]; then
      pid="$(pgrep -P "$shell" | head -n 1 || true)"
      [ -z "$pid" ] || echo "$pid" >"$LOGS/$name.pid"
    fi
    if [ -n "$pid" ]; then
      value="$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)"
      if [ -n "$value" ] && [ "$value" -gt "$hwm" ]; then hwm="$value"; fi
      if [ "$W_CUT" = "0" ] && [ "$(calc "$(now) - $start > $INGEST_LIMIT" %d)" = "1" ]; then
        say "$name: stopping the worker at the $INGEST_LIMIT s limit (Ctrl-C, it saves its last page)"
        kill -INT "$pid" 2>/dev/null || true
        W_CUT=1
      fi
    fi
    sleep 0.2
  done
  W_RC=0
  wait "$shell" || W_RC=$?
  rm -f "$LOGS/$name.pid" "$LOGS/$name.shell.pid"
  local timed
  read -r -a timed <"$LOGS/$name.time" || true
  [[ "${timed[0]:-}" =~ ^[0-9]+\.[0-9]+$ ]] || { cat "$LOGS/$name.time" "$LOGS/$name.err" >&2; echo "$name: no time for the worker" >&2; exit 1; }
  W_SECONDS="$(calc "${timed[0]:-0}" %.2f)"
  W_CPU_S="$(calc "${timed[1]:-0} + ${timed[2]:-0}" %.2f)"
  W_RSS_MB="$(calc "$hwm / 1024" %.0f)"
  W_SUMMARY="$(tail -n 1 "$LOGS/$name.out" 2>/dev/null || true)"
  W_SEEN="$(sed -nE 's/.* ([0-9]+) studies seen.*/\1/p' <<<"$W_SUMMARY")"
  W_RUN_SECONDS="$(sed -nE 's/.* in ([0-9.]+)s.*/\1/p' <<<"$W_SUMMARY")"
  W_SEEN="${W_SEEN:-0}" W_RUN_SECONDS="${W_RUN_SECONDS:-?}"
  say "$name: exit $W_RC in $W_SECONDS s, peak RSS $W_RSS_MB MB: $W_SUMMARY"
}
require_worker_success() {
  if [ "$W_RC" != "0" ] && [ "$W_CUT" = "0" ]; then
    tail -20 "$LOGS/$1.err" >&2
    echo "$1 failed (exit $W_RC)" >&2
    exit 1
  fi
}
# The registry's courtesy limit is lifted (the replay is local); pages are the product's default size (200): with
# 1,000-record pages the worker holds five times more records in its pipeline (100k: 347 MB against 224 MB) for no gain.
SYNC_ARGS=(--Registry:RequestsPerMinute=6000)

start_replay "$REVISION" replay
INGEST_NOTE=""
if [ "$REUSE" = "0" ]; then
  # ----- raw baseline: the same documents, COPY into a jsonb table, in this run
  say "raw baseline: COPY of the same $COUNT documents into a jsonb table"
  run "$SCALEDATA" write-jsonl --count "$COUNT" --seed "$SEED" --revision "$REVISION" --out "$WORK/studies.jsonl" --gazetteer "$GAZ" \
    >/dev/null 2>"$LOGS/write-jsonl.err" || { cat "$LOGS/write-jsonl.err" >&2; exit 1; }
  if [ "$(sql postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'bench_raw'")" != "1" ]; then
    run sql postgres -c "CREATE DATABASE bench_raw" >/dev/null
  fi
  run sql bench_raw -c "SET client_min_messages = warning; DROP TABLE IF EXISTS raw_studies; CREATE TABLE raw_studies (doc jsonb NOT NULL);" >/dev/null
  measure_start
  start="$(now)"
  # CSV with quote and delimiter bytes that compact JSON never holds: each line is one jsonb value, backslashes kept.
  note_command "psql bench_raw -c \"\\copy raw_studies (doc) FROM pstdin WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')\" < $WORK/studies.jsonl"
  sql bench_raw -c "\\copy raw_studies (doc) FROM pstdin WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')" <"$WORK/studies.jsonl" >/dev/null
  raw_seconds="$(calc "$(now) - $start" %.2f)"
  measure_end
  raw_rows="$(sql bench_raw -tAc "SELECT count(*) FROM raw_studies")"
  [ "$raw_rows" = "$COUNT" ] || { echo "raw COPY loaded $raw_rows of $COUNT documents" >&2; exit 1; }
  raw_rate="$(calc "$COUNT / $raw_seconds" %.0f)"
  jsonl_mb="$(calc "$(stat -c %s "$WORK/studies.jsonl") / 1048576" %.1f)"
  say "raw COPY: $COUNT documents ($jsonl_mb MB) in $raw_seconds s = $raw_rate studies/s"
  figure raw.seconds "$raw_seconds" s
  figure raw.studies_per_s "$raw_rate" studies/s
  figure raw.megabytes "$jsonl_mb" MB
  run sql bench_raw -c "DROP TABLE raw_studies" >/dev/null
  rm -f "$WORK/studies.jsonl"

  # ----- ingest: full sync into the empty catalogue
  say "ingest: full sync of $COUNT studies into the empty catalogue"
  measure_start
  pg_before="$(postgres_ticks)" replay_before="$(cpu_ticks "$REPLAY_PID")"
  run_worker ingest sync --full "--Registry:BaseUrl=$REPLAY_URL" "${SYNC_ARGS[@]}"
  pg_cpu_s="$(calc "($(postgres_ticks) - $pg_before) / $CLK_TCK" %.2f)"
  replay_cpu_s="$(calc "($(cpu_ticks "$REPLAY_PID") - $replay_before) / $CLK_TCK" %.2f)"
  measure_end
  require_worker_success ingest
  stored="$(sql trialfinder -tAc "SELECT count(*) FROM studies")"
  if [ "$W_CUT" = "1" ]; then
    INGEST_NOTE="stopped at the $INGEST_LIMIT s limit: $stored of $COUNT studies stored; the rate is that partial rate"
    ingest_rate="$(calc "$stored / $W_SECONDS" %.0f)"
  else
    ingest_rate="$(calc "$W_SEEN / $W_SECONDS" %.0f)"
  fi
  figure ingest.seconds "$W_SECONDS" s
  figure ingest.run_seconds "$W_RUN_SECONDS" s
  figure ingest.studies_stored "$stored" studies
  figure ingest.studies_per_s "$ingest_rate" studies/s
  figure ingest.worker_rss_mb "$W_RSS_MB" MB
  figure ingest.share_of_raw_pct "$(calc "100 * $ingest_rate / $raw_rate" %.1f)" %
  # Where the CPU goes, per study: the ingest's ceiling on this machine is its cores over the worker's and PostgreSQL's
  # CPU a study (the replay stands in for the registry, another machine).
  figure ingest.worker_cpu_ms_per_study "$(calc "1000 * $W_CPU_S / $stored" %.3f)" ms
  figure ingest.postgres_cpu_ms_per_study "$(calc "1000 * $pg_cpu_s / $stored" %.3f)" ms
  figure ingest.replay_cpu_ms_per_study "$(calc "1000 * $replay_cpu_s / $stored" %.3f)" ms
  figure ingest.cpu_ceiling_studies_per_s "$(calc "$(nproc) * $stored / ($W_CPU_S + $pg_cpu_s)" %.0f)" studies/s
  figure ingest.summary "$W_SUMMARY${INGEST_NOTE:+ ($INGEST_NOTE)}"
  # Kept with the database, so a run that reuses it can say what its build measured.
  { grep -E '^(raw|ingest)\.' "$FIGURES"; printf 'ingest.built\t%s, commit %s\t\t\n' "$(date -u +%Y-%m-%dT%H:%MZ)" "$(git rev-parse --short HEAD)"; } >"$WORK/ingest-figures.tsv"
  echo "$COUNT $SEED $REVISION" >"$MARKER"
else
  INGEST_NOTE="database reused: figures of the run that built it ($(awk -F'\t' '$1 == "ingest.built" { print $2 }' "$WORK/ingest-figures.tsv"))"
  cat "$WORK/ingest-figures.tsv" >>"$FIGURES"
fi

# ----- full sync, nothing changed
say "full sync with nothing changed"
measure_start
run_worker resync-unchanged sync --full "--Registry:BaseUrl=$REPLAY_URL" "${SYNC_ARGS[@]}"
measure_end
require_worker_success resync-unchanged
figure resync_unchanged.seconds "$W_SECONDS" s
figure resync_unchanged.run_seconds "$W_RUN_SECONDS" s
figure resync_unchanged.studies_per_s "$(calc "$W_SEEN / $W_SECONDS" %.0f)" studies/s
figure resync_unchanged.worker_rss_mb "$W_RSS_MB" MB
figure resync_unchanged.summary "$W_SUMMARY"

# ----- incremental, nothing changed
say "incremental sync with nothing changed"
measure_start
run_worker incremental-unchanged sync "--Registry:BaseUrl=$REPLAY_URL" "${SYNC_ARGS[@]}"
measure_end
require_worker_success incremental-unchanged
figure incremental_unchanged.seconds "$W_SECONDS" s
figure incremental_unchanged.run_seconds "$W_RUN_SECONDS" s
figure incremental_unchanged.summary "$W_SUMMARY"

# ----- full syncs in one worker process, as `serve` runs its recurring syncs: the first pays the process's start-up and
# compilation (a third of a one-shot ingest's CPU at 5k is the JIT), the second (nothing changed) does not; then two
# ingests into empty catalogues by that same process, the second measured (the first warms the code an ingest runs).
say "full syncs in one worker process (as serve runs them), then two ingests into empty catalogues"
CS_WARM_A="${CS/Database=trialfinder/Database=bench_warm_a}"
CS_WARM="${CS/Database=trialfinder/Database=bench_warm}"
for warm_db in bench_warm_a bench_warm; do
  warm_cs="${CS/Database=trialfinder/Database=$warm_db}"
  run sql postgres -c "DROP DATABASE IF EXISTS $warm_db WITH (FORCE)" >/dev/null
  run sql postgres -c "CREATE DATABASE $warm_db OWNER trialfinder" >/dev/null
  run sql "$warm_db" -c "CREATE EXTENSION IF NOT EXISTS cube; CREATE EXTENSION IF NOT EXISTS earthdistance;" >/dev/null
  run env "ConnectionStrings__TrialFinder=$warm_cs" "$WORKER" migrate >"$LOGS/migrate-$warm_db.log" 2>&1 || { cat "$LOGS/migrate-$warm_db.log" >&2; exit 1; }
  run env "ConnectionStrings__TrialFinder=$warm_cs" "$WORKER" import-places "$GAZ" --if-empty >"$LOGS/import-places-$warm_db.log" 2>&1 \
    || { cat "$LOGS/import-places-$warm_db.log" >&2; exit 1; }
done
measure_start
note_command nice -n "$WORKER_NICE" "$BENCH" warm-sync --connection "$CS" --registry "$REPLAY_URL" --runs 2 --warm-up-ingest-into "$CS_WARM_A" --ingest-into "$CS_WARM"
nice -n "$WORKER_NICE" "$BENCH" warm-sync --connection "$CS" --registry "$REPLAY_URL" --runs 2 --warm-up-ingest-into "$CS_WARM_A" --ingest-into "$CS_WARM" \
  >"$LOGS/warm-sync.out" 2>"$LOGS/warm-sync.err" || { cat "$LOGS/warm-sync.err" >&2; echo "warm-sync failed" >&2; exit 1; }
measure_end
warm_line() { awk -F'\t' -v n="$1" -v c="$2" '$1 == n { print $c }' "$LOGS/warm-sync.out"; }
figure warm_unchanged.seconds "$(warm_line 2 2)" s
figure warm_unchanged.studies_per_s "$(calc "$(warm_line 2 3) / $(warm_line 2 2)" %.0f)" studies/s
figure warm_unchanged.summary "$(warm_line 2 4)"
figure warm_ingest.seconds "$(warm_line ingest 2)" s
figure warm_ingest.studies_per_s "$(calc "$(warm_line ingest 3) / $(warm_line ingest 2)" %.0f)" studies/s
figure warm_ingest.share_of_raw_pct "$(calc "100 * $(warm_line ingest 3) / $(warm_line ingest 2) / $(fig raw.studies_per_s)" %.1f)" %
figure warm_ingest.summary "$(warm_line ingest 4)"
say "in one worker process: nothing changed $(fig warm_unchanged.studies_per_s) studies/s, ingest $(fig warm_ingest.studies_per_s) studies/s"
run sql postgres -c "DROP DATABASE bench_warm_a WITH (FORCE)" >/dev/null
run sql postgres -c "DROP DATABASE bench_warm WITH (FORCE)" >/dev/null
stop_pid "$REPLAY_PID"

# ---------------------------------------------------------------------------------------------- the catalogue
LOAD=""
figure catalogue.studies "$(sql trialfinder -tAc "SELECT count(*) FROM studies")"
figure catalogue.listed "$(sql trialfinder -tAc "SELECT count(*) FROM studies WHERE is_listed")"
figure catalogue.sites "$(sql trialfinder -tAc "SELECT count(*) FROM sites")"
figure catalogue.database_mb "$(sql trialfinder -tAc "SELECT round(pg_database_size('trialfinder') / 1048576.0)")" MB
TRIAL="$(sql trialfinder -tAc "SELECT s.nct_id FROM studies s JOIN sites si ON si.nct_id = s.nct_id
  WHERE s.nct_id LIKE 'NCT9%' AND s.is_listed GROUP BY s.nct_id HAVING count(*) >= 10 ORDER BY s.nct_id LIMIT 1")"
[ -n "$TRIAL" ] || { echo "no generated study with ten sites" >&2; exit 1; }
figure catalogue.trial_page_study "$TRIAL"
run sql trialfinder -c "VACUUM ANALYZE" >/dev/null

# ---------------------------------------------------------------------------------------------- the site: cold start
# The load generator is one client address; the per-client rate limits (README, Security) would answer it 429
# within a second, so the benchmark measures the site with them lifted.
for budget in PagesPerMinute ApiPerMinute PlacesPerMinute FeedsPerMinute UnsubscribePerMinute; do
  export "RateLimits__$budget=1000000"
done
export Accounts__AttemptsPerMinute=1000000
WEB_PORT="$(free_port 28000 29000)"
SITE="http://127.0.0.1:$WEB_PORT"
# start_site CACHE_ENTRIES: starts the site (Search:ResultCacheEntries as given) and waits for its first 200 of /.
start_site() {
  say "site (Search:ResultCacheEntries=$1): start to the first 200 of /"
  note_command "cd $WORK/web && ASPNETCORE_ENVIRONMENT=Production Search__ResultCacheEntries=$1 $WEB --urls $SITE"
  start="$(now)"
  (cd "$WORK/web" && ASPNETCORE_ENVIRONMENT=Production Search__ResultCacheEntries="$1" exec "$WEB" --urls "$SITE" \
    >"$LOGS/web-$1.out" 2>"$LOGS/web-$1.err") &
  WEB_PID=$!
  pids+=("$WEB_PID")
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$SITE/" 2>/dev/null || true)" = "200" ]; do
    kill -0 "$WEB_PID" 2>/dev/null || { tail -20 "$LOGS/web-$1.err" "$LOGS/web-$1.out" >&2; echo "the site stopped" >&2; exit 1; }
    [ "$(calc "$(now) - $start > 120" %d)" = "0" ] || { echo "the site did not answer in 120 s" >&2; exit 1; }
    sleep 0.05
  done
}
# First every search is computed (no answer kept), so each kind's figures are the search's own cost.
measure_start
start_site 0
measure_end
figure web.cold_start_s "$(calc "$(now) - $start" %.2f)" s

# ---------------------------------------------------------------------------------------------- the mix: each query answers
mapfile -t KINDS < <(grep -vE '^\s*(#|$)' infra/bench/queries.tsv | cut -f1)
mapfile -t PATHS < <(grep -vE '^\s*(#|$)' infra/bench/queries.tsv | cut -f2 | sed "s/{trial}/$TRIAL/g")
say "checking that every query of the mix answers 200"
for i in "${!KINDS[@]}"; do
  kind="${KINDS[$i]}" path="${PATHS[$i]}"
  read -r code bytes < <(curl -s -o "$LOGS/answer-$kind" -w '%{http_code} %{size_download}\n' "$SITE$path")
  [ "$code" = "200" ] || { echo "$kind: $path answered $code (see $LOGS/answer-$kind)" >&2; exit 1; }
  total="$(grep -oE '"total":[0-9]+' "$LOGS/answer-$kind" | head -n 1 | cut -d: -f2 || true)"
  figure "search.$kind.bytes" "$bytes" bytes
  [ -z "$total" ] || figure "search.$kind.total" "$total" studies
done
LOAD=""
figure weight.results_page_kb "$(calc "$(fig search.page-place-name.bytes) / 1024" %.1f)" KB
figure weight.trial_page_kb "$(calc "$(fig search.page-trial.bytes) / 1024" %.1f)" KB

# wrk_run NAME CONNECTIONS SECONDS PATH...: one wrk run of the mix script; sets WRK (its figures line).
wrk_run() {
  local name="$1" connections="$2" seconds="$3" threads=1
  shift 3
  [ "$connections" -lt 2 ] || threads=2
  note_command wrk -t"$threads" -c"$connections" -d"${seconds}s" --timeout 10s -s infra/bench/mix.lua "$SITE" -- "$@"
  wrk -t"$threads" -c"$connections" -d"${seconds}s" --timeout 10s -s infra/bench/mix.lua "$SITE" -- "$@" >"$LOGS/wrk-$name.log" 2>&1 \
    || { cat "$LOGS/wrk-$name.log" >&2; exit 1; }
  WRK="$(grep '^WRK ' "$LOGS/wrk-$name.log")"
  [ -n "$WRK" ] || { cat "$LOGS/wrk-$name.log" >&2; echo "wrk printed no figures" >&2; exit 1; }
}
wrk_value() { sed -nE "s/.* $1=([0-9.]+).*/\1/p" <<<"$WRK"; }
# wrk_figures PREFIX: the usual figures of the last wrk run.
wrk_figures() {
  local prefix="$1"
  figure "$prefix.rps" "$(wrk_value rps)" req/s
  figure "$prefix.p50_ms" "$(wrk_value p50_ms)" ms
  figure "$prefix.p95_ms" "$(wrk_value p95_ms)" ms
  figure "$prefix.p99_ms" "$(wrk_value p99_ms)" ms
  figure "$prefix.requests" "$(wrk_value requests)"
  figure "$prefix.non2xx" "$(wrk_value non2xx)"
  figure "$prefix.socket_errors" "$(wrk_value socket_errors)"
  figure "$prefix.errors" "$(( $(wrk_value non2xx) + $(wrk_value socket_errors) ))"
}

say "warm-up: the mix at 1 connection for $WARM_S s"
wrk_run warm-up 1 "$WARM_S" "${PATHS[@]}"

# ---------------------------------------------------------------------------------------------- each kind alone, and its SQL
# A search kind's SQL runs right after the same kind's load, so that both see the same machine.
search_path='^/(api/)?trials(\?|$)'
: >"$LOGS/explain.md"
: >"$LOGS/sql.err"
for i in "${!KINDS[@]}"; do
  kind="${KINDS[$i]}"
  say "$kind alone at 1 connection for $KIND_S s"
  measure_start
  wrk_run "kind-$kind" 1 "$KIND_S" "${PATHS[$i]}"
  measure_end
  figure "search.$kind.p50_ms" "$(wrk_value p50_ms)" ms
  figure "search.$kind.p95_ms" "$(wrk_value p95_ms)" ms
  figure "search.$kind.p99_ms" "$(wrk_value p99_ms)" ms
  figure "search.$kind.rps" "$(wrk_value rps)" req/s
  figure "search.$kind.errors" "$(( $(wrk_value non2xx) + $(wrk_value socket_errors) ))"
  [[ "${PATHS[$i]}" =~ $search_path ]] || continue
  say "$kind: its SQL run directly"
  measure_start
  run "$BENCH" sql --queries infra/bench/queries.tsv --trial "$TRIAL" --only "$kind" --connection "$CS" --site "$SITE" \
    --max-seconds "$SQL_S" --out-tsv "$LOGS/sql-$kind.tsv" --out-explain "$LOGS/explain-$kind.md" 2>>"$LOGS/sql.err" \
    || { cat "$LOGS/sql.err" >&2; exit 1; }
  measure_end
  tail -n 1 "$LOGS/sql.err" >&3
  cat "$LOGS/explain-$kind.md" >>"$LOGS/explain.md"
  IFS=$'\t' read -r _ p50 p95 _ _ total _ site_p50 site_p95 < <(tail -n 1 "$LOGS/sql-$kind.tsv")
  figure "search.$kind.sql_p50_ms" "$p50" ms
  figure "search.$kind.sql_p95_ms" "$p95" ms
  figure "search.$kind.sql_total" "$total" studies
  figure "search.$kind.in_turn_p50_ms" "$site_p50" ms
  figure "search.$kind.in_turn_p95_ms" "$site_p95" ms
  case "$kind" in
    api-*) figure "search.$kind.api_sql_ratio" "$(calc "$site_p50 / $p50" %.2f)" × ;;
    *) figure "search.$kind.page_sql_ratio" "$(calc "$site_p50 / $p50" %.2f)" × ;;
  esac
done

# ---------------------------------------------------------------------------------------------- the whole mix
for connections in 1 32; do
  say "the mix at $connections connection(s) for $MIX_S s"
  measure_start
  wrk_run "mix$connections" "$connections" "$MIX_S" "${PATHS[@]}"
  measure_end
  wrk_figures "mix$connections"
done
UNCACHED_RSS_KB="$(awk '/^VmHWM:/ { print $2 }' "/proc/$WEB_PID/status")"
stop_pid "$WEB_PID"

# ---------------------------------------------------------------------------------------------- the mix, answers cached
# Then the site as deployed (answers kept per catalogue version, Search:ResultCacheEntries at its default): the mix
# repeats its 12 queries, so after the first round it measures the cache and the page rendering, not the SQL.
start_site 1000
# A fresh process: a longer warm-up, so the runtime's tiered compilation has settled as it had for the first site.
wrk_run warm-up-cached 1 "$(( WARM_S * 4 ))" "${PATHS[@]}"
for connections in 1 32; do
  say "the mix at $connections connection(s) for $MIX_S s, answers cached"
  measure_start
  wrk_run "mix${connections}-cached" "$connections" "$MIX_S" "${PATHS[@]}"
  measure_end
  wrk_figures "mix${connections}_cached"
done
CACHED_RSS_KB="$(awk '/^VmHWM:/ { print $2 }' "/proc/$WEB_PID/status")"
figure web.rss_mb "$(calc "($UNCACHED_RSS_KB > $CACHED_RSS_KB ? $UNCACHED_RSS_KB : $CACHED_RSS_KB) / 1024" %.0f)" MB
figure web.rss_uncached_mb "$(calc "$UNCACHED_RSS_KB / 1024" %.0f)" MB
figure web.rss_cached_mb "$(calc "$CACHED_RSS_KB / 1024" %.0f)" MB

# ---------------------------------------------------------------------------------------------- the mix during a full resync
NEXT_REVISION=$(( REVISION == 1 ? 2 : 1 ))
say "the mix at 32 connections during a full resync in which every study changed (revision $REVISION → $NEXT_REVISION)"
start_replay "$NEXT_REVISION" replay-changed
last_run="$(sql trialfinder -tAc "SELECT coalesce(max(id), 0) FROM sync_runs")"
(run_worker resync-changed sync --full "--Registry:BaseUrl=$REPLAY_URL" "${SYNC_ARGS[@]}"; \
  printf '%s\t%s\t%s\t%s\t%s\n' "$W_RC" "$W_SECONDS" "$W_RSS_MB" "$W_SEEN" "$W_SUMMARY" >"$LOGS/resync-changed.result") &
RESYNC_PID=$!
pids+=("$RESYNC_PID")
resync_start="$(now)"
# Load starts once the resync has written its first page.
until [ "$(sql trialfinder -tAc "SELECT coalesce(max(pages), 0) FROM sync_runs WHERE id > $last_run")" -gt 0 ]; do
  kill -0 "$RESYNC_PID" 2>/dev/null || break
  sleep 0.2
done
load_from="$(calc "$(now) - $resync_start" %.1f)"
measure_start
wrk_run mix32-resync 32 "$RESYNC_S" "${PATHS[@]}"
measure_end
load_until="$(calc "$(now) - $resync_start" %.1f)"
wrk_figures mix32_resync
wait "$RESYNC_PID" || true
IFS=$'\t' read -r r_rc r_seconds r_rss r_seen r_summary <"$LOGS/resync-changed.result"
[ "$r_rc" = "0" ] || { tail -20 "$LOGS/resync-changed.err" >&2; echo "the resync failed" >&2; exit 1; }
echo "$COUNT $SEED $NEXT_REVISION" >"$MARKER"
figure resync_changed.seconds "$r_seconds" s
figure resync_changed.studies_per_s "$(calc "$r_seen / $r_seconds" %.0f)" studies/s
figure resync_changed.worker_rss_mb "$r_rss" MB
figure resync_changed.load_window "from $load_from s to $load_until s of the resync's $r_seconds s"
figure resync_changed.overlap_pct "$(calc "100 * (($load_until < $r_seconds ? $load_until : $r_seconds) - $load_from) / ($load_until - $load_from)" %.0f)" %
figure resync_changed.summary "$r_summary"
stop_pid "$REPLAY_PID"

# ---------------------------------------------------------------------------------------------- BenchmarkDotNet
say "BenchmarkDotNet: the hot pure code${BDN_JOB:+ (short job)}"
rm -rf "$WORK/benchmarkdotnet"
measure_start
# shellcheck disable=SC2086
run "$BENCHMARKS" $BDN_JOB --artifacts "$WORK/benchmarkdotnet" >"$LOGS/benchmarks.log" 2>&1 || { tail -40 "$LOGS/benchmarks.log" >&2; exit 1; }
measure_end
figure benchmarks.load "$LOAD"

# ---------------------------------------------------------------------------------------------- the report
LOAD=""
pg_version="$(sql postgres -tAc "SHOW server_version")"
figure run.date "$(date -u +%Y-%m-%dT%H:%MZ)"
figure run.commit "$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src workers tests infra 2>/dev/null || echo ' (with uncommitted changes)')"
figure run.catalogue "$COUNT generated studies, seed $SEED"
figure machine.cpus "$(nproc)"
figure machine.cpu "$(sed -nE 's/^model name\s*:\s*//p' /proc/cpuinfo | head -n 1)"
figure machine.memory_gb "$(awk '/^MemTotal:/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)" GB
figure machine.postgresql "$pg_version"
figure machine.dotnet "$(dotnet --version)"

settings="$(sql trialfinder -tAc "SELECT name || ' = ' || current_setting(name) FROM pg_settings
  WHERE name IN ('shared_buffers', 'work_mem', 'effective_cache_size', 'maintenance_work_mem', 'fsync', 'synchronous_commit',
                 'max_connections', 'random_page_cost', 'jit', 'max_wal_size', 'checkpoint_timeout', 'max_parallel_workers_per_gather') ORDER BY name")"

kind_row() {
  local kind="$1" path="$2"
  printf '| `%s` | `%s` | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$kind" "$path" \
    "$(f="$(fig "search.$kind.total")"; [ "$f" != "—" ] && echo "$f" || fig "search.$kind.sql_total")" "$(fig "search.$kind.bytes")" \
    "$(fig "search.$kind.p50_ms")" "$(fig "search.$kind.p95_ms")" "$(fig "search.$kind.p99_ms")" "$(fig "search.$kind.rps")" \
    "$(fig "search.$kind.in_turn_p50_ms")" "$(fig "search.$kind.sql_p50_ms")" \
    "$(f="$(fig "search.$kind.api_sql_ratio")"; [ "$f" != "—" ] && echo "$f" || fig "search.$kind.page_sql_ratio")" \
    "$(awk -F'\t' -v k="search.$kind.p95_ms" '$1 == k { print $4 }' "$FIGURES") / $(awk -F'\t' -v k="search.$kind.sql_p50_ms" '$1 == k { print $4 }' "$FIGURES")"
}
mix_row() {
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$(fig "$2.rps")" "$(fig "$2.p50_ms")" "$(fig "$2.p95_ms")" \
    "$(fig "$2.p99_ms")" "$(fig "$2.requests")" "$(fig "$2.non2xx")" "$(fig "$2.socket_errors")" \
    "$(awk -F'\t' -v k="$2.rps" '$1 == k { print $4 }' "$FIGURES")"
}
bdn_table="$(sed 's/&#39;//g' "$WORK"/benchmarkdotnet/results/*-report-github.md 2>/dev/null || echo "(no BenchmarkDotNet report)")"

{
  echo "# TrialFinder benchmarks — $SIZE ($COUNT generated studies)"
  echo
  echo "Written by \`infra/bench/run.sh --size $SIZE\` on $(fig run.date), commit \`$(fig run.commit)\`."
  echo "Site, PostgreSQL, the registry replay and wrk share one machine that other developers' builds and tests also use:"
  echo "the load average (1 minute, at the start → end of each measurement) is given beside each figure; compare only ratios"
  echo "measured in the same run. wrk measures latency per request as sent (no correction for coordinated omission)."
  echo "Figures are reported, never asserted. [All sizes against the targets](RESULTS.md)."
  echo
  echo "## Machine and run"
  echo
  echo "- CPU: $(fig machine.cpu), $(fig machine.cpus) cores as seen by the run; memory $(fig machine.memory_gb) GB"
  echo "- PostgreSQL $(fig machine.postgresql) (own cluster from \`infra/pg.sh\`), .NET SDK $(fig machine.dotnet), $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2)"
  echo "- Catalogue: $COUNT generated studies (seed $SEED; $(fig catalogue.studies) stored, $(fig catalogue.listed) listed, $(fig catalogue.sites) sites, database $(fig catalogue.database_mb) MB); trial pages use \`$TRIAL\`"
  echo "- PostgreSQL settings: $(tr '\n' ';' <<<"$settings" | sed 's/;$//; s/;/; /g')"
  echo
  echo "## Ingest (worker \`sync\` as its own process against the replay, pages of 200, the product's default)"
  echo
  [ -z "$INGEST_NOTE" ] || { echo "> $INGEST_NOTE"; echo; }
  echo "| what | wall | studies/s | worker peak RSS | load | the worker's summary |"
  echo "|---|---:|---:|---:|---|---|"
  printf '| raw COPY of the same %s documents (%s MB of JSON) into a jsonb table | %s s | %s | | %s | |\n' "$COUNT" "$(fig raw.megabytes)" "$(fig raw.seconds)" "$(fig raw.studies_per_s)" "$(awk -F'\t' '$1 == "raw.seconds" { print $4 }' "$FIGURES")"
  printf '| full sync into the empty catalogue (ingest), %s%% of raw COPY | %s s | %s | %s MB | %s | %s |\n' "$(fig ingest.share_of_raw_pct)" "$(fig ingest.seconds)" "$(fig ingest.studies_per_s)" "$(fig ingest.worker_rss_mb)" "$(awk -F'\t' '$1 == "ingest.seconds" { print $4 }' "$FIGURES")" "$(fig ingest.summary)"
  printf '| full sync, nothing changed | %s s | %s | %s MB | %s | %s |\n' "$(fig resync_unchanged.seconds)" "$(fig resync_unchanged.studies_per_s)" "$(fig resync_unchanged.worker_rss_mb)" "$(awk -F'\t' '$1 == "resync_unchanged.seconds" { print $4 }' "$FIGURES")" "$(fig resync_unchanged.summary)"
  printf '| incremental sync, nothing changed | %s s | | | %s | %s |\n' "$(fig incremental_unchanged.seconds)" "$(awk -F'\t' '$1 == "incremental_unchanged.seconds" { print $4 }' "$FIGURES")" "$(fig incremental_unchanged.summary)"
  printf '| full sync, nothing changed, the second of two in one worker process (as `serve` runs them) | %s s | %s | | %s | %s |\n' "$(fig warm_unchanged.seconds)" "$(fig warm_unchanged.studies_per_s)" "$(awk -F'\t' '$1 == "warm_unchanged.seconds" { print $4 }' "$FIGURES")" "$(fig warm_unchanged.summary)"
  printf '| full sync into an empty catalogue by that worker process, after one ingest into another (ingest, warm), %s%% of raw COPY | %s s | %s | | %s | %s |\n' "$(fig warm_ingest.share_of_raw_pct)" "$(fig warm_ingest.seconds)" "$(fig warm_ingest.studies_per_s)" "$(awk -F'\t' '$1 == "warm_ingest.seconds" { print $4 }' "$FIGURES")" "$(fig warm_ingest.summary)"
  printf '| full sync, every study changed, under the 32-connection mix | %s s | %s | %s MB | %s | %s |\n' "$(fig resync_changed.seconds)" "$(fig resync_changed.studies_per_s)" "$(fig resync_changed.worker_rss_mb)" "$(awk -F'\t' '$1 == "mix32_resync.rps" { print $4 }' "$FIGURES")" "$(fig resync_changed.summary)"
  echo
  echo "Wall time is the worker process from start to exit (host start-up included); the summary's own duration is the sync run's."
  echo "The two rows in one worker process (\`TrialFinder.Bench warm-sync\`, the worker's own composition) time the sync alone, as the"
  echo "long-running \`serve\` verb runs its recurring syncs: its start-up and compilation were paid by the run before."
  echo "The worker and the replay run at nice $WORKER_NICE, as \`infra/run.sh\` runs the worker (below the site's priority)."
  if [ "$REUSE" = "0" ]; then
    printf 'CPU of the ingest a study: the worker %s ms, PostgreSQL %s ms (the replay, standing in for the registry: %s ms); so on %s cores it cannot pass %s studies/s.\n' \
      "$(fig ingest.worker_cpu_ms_per_study)" "$(fig ingest.postgres_cpu_ms_per_study)" "$(fig ingest.replay_cpu_ms_per_study)" "$(nproc)" "$(fig ingest.cpu_ceiling_studies_per_s)"
  fi
  echo
  echo "## Search: each query kind alone at 1 connection ($KIND_S s each), and its SQL run directly"
  echo
  echo "Latencies in ms; p50/p95/p99 and req/s from wrk, one connection, the kind alone. *In turn*: right after, \`TrialFinder.Bench sql\`"
  echo "asks the site the same query and runs the search's one SQL statement (\`StudySearchQuery.CreateCommand\`, over one open connection,"
  echo "reading every row; the query string parsed by \`SearchFilter\`, a place name resolved by the site: the \`place\` of its API"
  echo "answer) one after the other, so both see the same load; the ratio is the site's p50 ÷ the SQL's p50 from those pairs (for pages it"
  echo "includes rendering; the site also resolves a place name in a query of its own, and keeps the catalogue's version in memory while"
  echo "it listens for changes, as deployed; the site runs with \`Search:ResultCacheEntries=0\` here, so every answer is computed). A loop of"
  echo "back-to-back statements, timed apart from the site's answers, measured slower than the site itself on this loaded machine"
  echo "(ratios of 0.4–0.9), which is why the two are now measured in turn."
  echo
  echo "| kind | path | results | bytes | p50 | p95 | p99 | req/s | in turn: site p50 | in turn: SQL p50 | site ÷ SQL | load: wrk / in turn |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  for i in "${!KINDS[@]}"; do kind_row "${KINDS[$i]}" "${PATHS[$i]}"; done
  echo
  echo "## The whole mix (the ${#KINDS[@]} kinds in turn)"
  echo
  echo "| run | req/s | p50 ms | p95 ms | p99 ms | requests | non-2xx | socket errors | load |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
  mix_row "1 connection, $MIX_S s, every answer computed" mix1
  mix_row "32 connections, $MIX_S s, every answer computed" mix32
  mix_row "1 connection, $MIX_S s, answers cached (as deployed)" mix1_cached
  mix_row "32 connections, $MIX_S s, answers cached (as deployed)" mix32_cached
  mix_row "32 connections during a full resync (every study changed), $RESYNC_S s, answers cached" mix32_resync
  echo
  echo "During the resync, load ran $(fig resync_changed.load_window) ($(fig resync_changed.overlap_pct)% of the load window overlapped the resync)."
  echo
  echo "## The site"
  echo
  echo "| what | value | load |"
  echo "|---|---:|---|"
  printf '| cold start: process start to the first 200 of `/` | %s s | %s |\n' "$(fig web.cold_start_s)" "$(awk -F'\t' '$1 == "web.cold_start_s" { print $4 }' "$FIGURES")"
  printf '| results page weight (`%s`) | %s KB | |\n' "${PATHS[2]}" "$(fig weight.results_page_kb)"
  printf '| trial page weight (`/trials/%s`) | %s KB | |\n' "$TRIAL" "$(fig weight.trial_page_kb)"
  printf '| web peak RSS (VmHWM) after the 32-connection mix, every answer computed | %s MB | |\n' "$(fig web.rss_uncached_mb)"
  printf '| web peak RSS (VmHWM) after the 32-connection mix, answers cached | %s MB | |\n' "$(fig web.rss_cached_mb)"
  echo
  echo "Page weights are the HTML as served without compression (no \`Accept-Encoding\`), without the static files it links."
  echo
  echo "## BenchmarkDotNet: the hot pure code of a sync (load $(fig benchmarks.load))"
  echo
  echo "Per record of the generated catalogue (100 records, seed 1; age texts per text), in this process (InProcessEmitToolchain)."
  echo
  echo "$bdn_table"
  echo
  echo "## Commands"
  echo
  echo '```'
  sed "s|$ROOT/||g" "$COMMANDS"
  echo '```'
  echo
  echo "## EXPLAIN (ANALYZE, BUFFERS) of each search kind"
  echo
  cat "$LOGS/explain.md"
  echo "## All figures"
  echo
  echo "| key | value | unit | load (1 min, start → end) |"
  echo "|---|---|---|---|"
  awk -F'\t' '{ gsub(/\|/, "\\|", $2); printf "| `%s` | %s | %s | %s |\n", $1, $2, $3, $4 }' "$FIGURES"
} >"$OUT"
say "wrote $OUT"

if [ "$OUT" = "$DEFAULT_OUT" ] && [ "$SIZE" != "tiny" ]; then
  sizes=()
  for s in 5k 100k; do [ -f "infra/bench/RESULTS-$s.md" ] && sizes+=("$s=infra/bench/RESULTS-$s.md"); done
  run "$BENCH" combine --out infra/bench/RESULTS.md "${sizes[@]}"
fi

say "headline: ingest $(fig ingest.studies_per_s) studies/s ($(fig ingest.share_of_raw_pct)% of raw COPY), worker RSS $(fig ingest.worker_rss_mb) MB;" \
  "unchanged full $(fig resync_unchanged.studies_per_s) studies/s; incremental $(fig incremental_unchanged.seconds) s;" \
  "mix32 $(fig mix32.rps) req/s p99 $(fig mix32.p99_ms) ms errors $(fig mix32.errors); cached $(fig mix32_cached.rps) req/s p99 $(fig mix32_cached.p99_ms) ms; during resync p99 $(fig mix32_resync.p99_ms) ms errors $(fig mix32_resync.errors)"
