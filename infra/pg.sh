#!/usr/bin/env bash
# PostgreSQL helpers shared by run.sh and test.sh: find or install the server, and run a
# private cluster on loopback. Source this file; it defines functions only.

# Runs a command as the cluster's owner: initdb and postgres refuse to run as root.
tf_pg_as_owner() {
  if [ "$(id -u)" = "0" ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

tf_pg_find_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return 0
    fi
  done
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"
    return 0
  fi
  return 1
}

# Installs the PostgreSQL server from Debian's packages when it is missing.
tf_pg_ensure_installed() {
  if ! tf_pg_find_bin >/dev/null; then
    echo "PostgreSQL server not found; installing it with apt..." >&2
    local sudo=""
    [ "$(id -u)" = "0" ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql postgresql-contrib >/dev/null
  fi
  if [ "$(id -u)" = "0" ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi
  TF_PG_BIN="$(tf_pg_find_bin)" || { echo "PostgreSQL binaries still missing after install" >&2; return 1; }
  export TF_PG_BIN
}

# The cluster owner must be able to reach the data folder; when running as root in a folder the
# postgres user cannot traverse (for example under /root), the data lives in /var/tmp and the
# requested path becomes a link to it.
tf_pg_prepare_dir() {
  local data_dir="$1"
  mkdir -p "$(dirname "$data_dir")"
  if [ "$(id -u)" = "0" ]; then
    if [ ! -e "$data_dir" ]; then
      mkdir -p "$data_dir"
      chown postgres:postgres "$data_dir"
      chmod 700 "$data_dir"
      if ! runuser -u postgres -- test -w "$data_dir"; then
        rmdir "$data_dir"
        local elsewhere
        elsewhere="$(mktemp -d /var/tmp/trialfinder-pg.XXXXXX)"
        chown postgres:postgres "$elsewhere"
        chmod 700 "$elsewhere"
        ln -s "$elsewhere" "$data_dir"
      fi
    fi
  else
    mkdir -p "$data_dir"
    chmod 700 "$data_dir"
  fi
}

# Settings for a small machine that serves the product and its database together (2 cores, a few GB):
# a search reads a few thousand index and heap pages, so shared_buffers holds the 5k catalogue (~120 MB)
# and the working set of the 100k one; the per-sort work_mem keeps a place search's aggregate in memory;
# random_page_cost 1.1 says reads are SSD-fast; jit is off because the searches are short and at 100k
# studies their estimated cost crosses jit_above_cost, where compiling costs more than it saves; no parallel
# workers, because on two cores shared with the site every core is already serving a request (at 100k studies
# under load, the place search with filters 43 -> 20 ms p50 and the 20,000 km radius 30 -> 15 ms without them).
# TF_PG_SETTINGS replaces them (empty: PostgreSQL's defaults).
TF_PG_TUNING="-c shared_buffers=256MB -c work_mem=16MB -c effective_cache_size=1GB -c random_page_cost=1.1 -c jit=off -c max_parallel_workers_per_gather=0"

# tf_pg_start DATA_DIR PORT: initialises the cluster on first use and starts it on 127.0.0.1:PORT,
# with its socket inside the data folder. Creates the database "trialfinder", its owner role
# "trialfinder" (migrations run as it) and the role "trialfinder_app" that the site and the workers
# connect as (data rights only: granted by `migrate --Database:AppRole=trialfinder_app`).
tf_pg_start() {
  local data_dir="$1" port="$2"
  tf_pg_ensure_installed || return 1
  tf_pg_prepare_dir "$data_dir"
  local real_dir
  real_dir="$(readlink -f "$data_dir")"
  if [ ! -f "$real_dir/PG_VERSION" ]; then
    tf_pg_as_owner "$TF_PG_BIN/initdb" -D "$real_dir" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8 >/dev/null || return 1
  fi
  if ! tf_pg_as_owner "$TF_PG_BIN/pg_ctl" -D "$real_dir" status >/dev/null 2>&1; then
    tf_pg_as_owner "$TF_PG_BIN/pg_ctl" -D "$real_dir" -l "$real_dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $real_dir -c max_connections=200 -c fsync=${TF_PG_FSYNC:-on} ${TF_PG_SETTINGS-$TF_PG_TUNING}" start >/dev/null \
      || { cat "$real_dir/server.log" >&2; return 1; }
  fi
  tf_pg_psql "$real_dir" "$port" postgres -c "DO \$\$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'trialfinder') THEN
        CREATE ROLE trialfinder LOGIN CREATEDB PASSWORD 'trialfinder';
      END IF;
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'trialfinder_app') THEN
        CREATE ROLE trialfinder_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD 'trialfinder_app';
      END IF; END \$\$;" >/dev/null || return 1
  if [ "$(tf_pg_psql "$real_dir" "$port" postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'trialfinder'")" != "1" ]; then
    tf_pg_psql "$real_dir" "$port" postgres -c "CREATE DATABASE trialfinder OWNER trialfinder" >/dev/null || return 1
  fi
  # earthdistance is not a trusted extension: the superuser creates it once for the app's role.
  tf_pg_psql "$real_dir" "$port" trialfinder -c "CREATE EXTENSION IF NOT EXISTS cube; CREATE EXTENSION IF NOT EXISTS earthdistance;" >/dev/null || return 1
}

tf_pg_psql() {
  local real_dir="$1" port="$2" db="$3"
  shift 3
  tf_pg_as_owner "$TF_PG_BIN/psql" -X -q -h "$real_dir" -p "$port" -U postgres -d "$db" -v ON_ERROR_STOP=1 "$@"
}

tf_pg_stop() {
  local data_dir="$1"
  local real_dir
  real_dir="$(readlink -f "$data_dir")"
  [ -f "$real_dir/PG_VERSION" ] || return 0
  tf_pg_as_owner "$TF_PG_BIN/pg_ctl" -D "$real_dir" -m fast -w stop >/dev/null 2>&1 || true
}

# tf_pg_restart DATA_DIR: a fast restart (every session is cut, as when a server is restarted under load),
# with the options the cluster was started with.
tf_pg_restart() {
  local data_dir="$1"
  local real_dir
  tf_pg_ensure_installed || return 1
  real_dir="$(readlink -f "$data_dir")"
  tf_pg_as_owner "$TF_PG_BIN/pg_ctl" -D "$real_dir" -l "$real_dir/server.log" -m fast -w -t 60 restart >/dev/null \
    || { tail -n 20 "$real_dir/server.log" >&2; return 1; }
}
