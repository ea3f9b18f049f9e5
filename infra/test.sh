#!/usr/bin/env bash
# Runs every test (unit, integration, browser) against a throwaway PostgreSQL cluster, then validates the
# deployment files (compose, kustomize overlays with a policy check, yamllint; one check each) and runs the
# benchmark scripts once on a tiny catalogue (counted as one check), and prints the totals on the
# last line: "N passed, N failed, N skipped".
# Exits non-zero when any test failed or any test run could not complete.
set -uo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=infra/pg.sh
source infra/pg.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# Hundreds of in-process sites and worker hosts start during the run; none needs its settings files watched, and
# each watcher takes an inotify instance (128 per user by default, shared with everything else on the machine).
export DOTNET_hostBuilder__reloadConfigOnChange=false

passed=0 failed=0 skipped=0 broken=0
finish() {
  echo "$passed passed, $failed failed, $skipped skipped"
  if [ "$failed" -gt 0 ] || [ "$broken" -gt 0 ]; then exit 1; fi
  exit 0
}

command -v dotnet >/dev/null || { echo "The .NET SDK (dotnet) is required." >&2; broken=1; finish; }

# Debian's Chromium for the browser tests (never a browser download).
if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's Chromium for the browser tests..." >&2
  sudo_cmd=""; [ "$(id -u)" = "0" ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null \
    || { echo "Could not install chromium." >&2; broken=1; }
fi

pg_parent="$(mktemp -d /tmp/trialfinder-test.XXXXXX)"
chmod 755 "$pg_parent"
pg_dir="$pg_parent/pg"
pg_port="${TF_TEST_PG_PORT:-$(( 20000 + RANDOM % 20000 ))}"
cleanup() {
  tf_pg_stop "$pg_dir"
  rm -rf "$(readlink -f "$pg_dir")" "$pg_parent"
}
trap cleanup EXIT

echo "Starting a throwaway PostgreSQL cluster on 127.0.0.1:$pg_port..."
if ! TF_PG_FSYNC=off tf_pg_start "$pg_dir" "$pg_port"; then
  echo "PostgreSQL did not start." >&2
  broken=1
  finish
fi
# Tests create and drop one database per test class, each with the earthdistance extension.
tf_pg_psql "$(readlink -f "$pg_dir")" "$pg_port" postgres -c "ALTER ROLE trialfinder SUPERUSER" >/dev/null
export TF_TEST_DATABASE="Host=127.0.0.1;Port=$pg_port;Database=trialfinder;Username=trialfinder;Password=trialfinder;Include Error Detail=true"

# dotnet-ef (the repository's tool manifest): CompiledModelTests regenerates the compiled EF model with it.
if ! dotnet tool restore >/dev/null; then
  echo "Could not restore the repository's .NET tools (dotnet-ef)." >&2
  broken=1
  finish
fi

echo "Building..."
if ! dotnet build TrialFinder.sln -c Release -nologo -v quiet; then
  echo "The build failed." >&2
  broken=1
  finish
fi

# shellcheck source=infra/gazetteer.sh
source infra/gazetteer.sh
export TF_TEST_GAZETTEER="${TF_TEST_GAZETTEER:-$PWD/.data/gazetteer}"
if ! tf_gazetteer_fetch "$TF_TEST_GAZETTEER"; then
  echo "Could not fetch the gazetteer for the tests." >&2
  broken=1
  finish
fi

mkdir -p TestResults
rm -f TestResults/classification-report.txt TestResults/classification-development-report.txt TestResults/classification-heldout-report.txt TestResults/classification-heldout2-report.txt TestResults/classification-heldout3-report.txt TestResults/classification-heldout4-report.txt TestResults/criteria-heldout-report.txt
for project in tests/TrialFinder.Core.Tests tests/TrialFinder.IntegrationTests tests/TrialFinder.BrowserTests; do
  [ -d "$project" ] || continue
  ls "$project"/*.csproj >/dev/null 2>&1 || continue
  name="$(basename "$project")"
  echo "=== $name"
  log="TestResults/$name.log"
  trx="$PWD/TestResults/$name.trx"
  rm -f "$trx"
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$trx" --logger "console;verbosity=normal" >"$log" 2>&1
  grep -E '^\s*Failed [A-Za-z]|^Total tests|^\s+(Passed|Failed|Skipped): [0-9]' "$log" || true
  counters="$(grep -o '<Counters [^>]*>' "$trx" 2>/dev/null | head -n 1)"
  if [ -z "$counters" ]; then
    echo "$name did not report results (crash or timeout); see $log" >&2
    broken=1
    failed=$((failed + 1))
    continue
  fi
  count() { sed -E "s/.* $1=\"([0-9]+)\".*/\1/" <<<"$counters"; }
  p="$(count passed)"
  f=$(( $(count failed) + $(count error) + $(count timeout) + $(count aborted) ))
  s="$(count notExecuted)"
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
done

# The deployment files (infra/docker, infra/k8s, infra/observability): no container registry or cluster is
# reachable here, so each is validated as far as the tools go, one check each: the compose file by
# docker-compose, every kustomization rendered by kubectl and its manifests by the policy check (non-root,
# read-only root, no privilege escalation, probes, requests and limits, a PodDisruptionBudget), the Dockerfiles
# by the same policy (non-root USER, HEALTHCHECK), every YAML file by yamllint, the dashboard as JSON.
echo "=== Deployment files"
deploy_tools=()
command -v docker-compose >/dev/null || deploy_tools+=(docker-compose)
command -v yamllint >/dev/null || deploy_tools+=(yamllint)
command -v kubectl >/dev/null || deploy_tools+=(kubernetes-client)
/usr/bin/python3 -c 'import yaml' 2>/dev/null || deploy_tools+=(python3-yaml)
if [ ${#deploy_tools[@]} -gt 0 ]; then
  echo "Installing ${deploy_tools[*]} from Debian for the deployment checks..." >&2
  sudo_cmd=""; [ "$(id -u)" = "0" ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${deploy_tools[@]}" >/dev/null \
    || echo "Could not install ${deploy_tools[*]}; the checks that need them fail." >&2
fi
deploy_check() {
  local name="$1" log="TestResults/deploy-$1.log"
  shift
  if "$@" >"$log" 2>&1; then
    echo "  Passed: $name"
    passed=$((passed + 1))
  else
    echo "  Failed: $name; see $log" >&2
    tail -n 20 "$log" >&2
    failed=$((failed + 1))
  fi
}
deploy_check compose-config env TF_DB_PASSWORD=check TF_APP_DB_PASSWORD=check docker-compose -f infra/docker/compose.yml config -q
# Compose's PostgreSQL repeats infra/pg.sh's settings (a compose file cannot read a shell script): every one of them.
deploy_check compose-postgres-settings bash -c \
  'source infra/pg.sh; for setting in $(grep -o "[a-z_]*=[^ ]*" <<<"$TF_PG_TUNING"); do
     grep -q "\"$setting\"" infra/docker/compose.yml || { echo "infra/docker/compose.yml lacks $setting of infra/pg.sh"; exit 1; }
   done'
deploy_check dockerfile-policy /usr/bin/python3 infra/k8s/policy.py --dockerfile infra/docker/Dockerfile.web infra/docker/Dockerfile.worker
for kustomization in infra/k8s/base infra/k8s/overlays/*; do
  [ -f "$kustomization/kustomization.yaml" ] || continue
  deploy_check "kustomize-$(basename "$kustomization")" bash -c \
    "set -o pipefail; kubectl kustomize '$kustomization' | tee 'TestResults/rendered-$(basename "$kustomization").yaml' | /usr/bin/python3 infra/k8s/policy.py"
done
deploy_check yamllint yamllint -s -c infra/yamllint.yml infra/docker/compose.yml infra/k8s infra/observability
deploy_check dashboard-json /usr/bin/python3 -m json.tool infra/observability/grafana-dashboard.json

# The benchmark scripts once on the tiny catalogue, so they cannot rot: one check that passes when every
# step works. Its figures are only reported (TestResults/bench-tiny.md), never asserted.
echo "=== Benchmarks (infra/bench/run.sh --size tiny)"
if TF_GAZETTEER_DIR="$TF_TEST_GAZETTEER" infra/bench/run.sh --size tiny --no-build --out TestResults/bench-tiny.md >TestResults/bench-tiny.log 2>&1; then
  echo "  Passed: the benchmark scripts ran on the tiny catalogue; figures in TestResults/bench-tiny.md"
  passed=$((passed + 1))
else
  echo "  Failed: infra/bench/run.sh --size tiny; see TestResults/bench-tiny.log" >&2
  tail -n 20 TestResults/bench-tiny.log >&2
  failed=$((failed + 1))
fi

if [ -f TestResults/classification-report.txt ]; then
  echo "=== Classification report (corpus labels vs classifier)"
  cat TestResults/classification-report.txt
fi

if [ -f TestResults/classification-development-report.txt ]; then
  echo "=== Development classification report (development (tuned on); not a measure of unseen trials)"
  cat TestResults/classification-development-report.txt
fi

if [ -f TestResults/classification-heldout-report.txt ]; then
  echo "=== Held-out classification report (spent — tuned on since the sixth development round)"
  cat TestResults/classification-heldout-report.txt
fi

if [ -f TestResults/classification-heldout2-report.txt ]; then
  echo "=== Fresh held-out classification report (built 2026-11-26 blind to the rules; spent — tuned on since the sixth development round)"
  cat TestResults/classification-heldout2-report.txt
fi

if [ -f TestResults/classification-heldout3-report.txt ]; then
  echo "=== Third held-out classification report (built 2026-11-27 blind to the rules; spent — tuned on since the sixth development round)"
  cat TestResults/classification-heldout3-report.txt
fi

if [ -f TestResults/classification-heldout4-report.txt ]; then
  echo "=== Fourth held-out classification report (built 2026-11-27 blind to the rules; never tuned on)"
  cat TestResults/classification-heldout4-report.txt
fi

if [ -f TestResults/criteria-heldout-report.txt ]; then
  echo "=== Held-out eligibility criteria report (never tuned on)"
  cat TestResults/criteria-heldout-report.txt
fi

finish
