#!/usr/bin/env bash
# CLI start-up: wall time of client commands against a local server, through the bin/jobstack
# launcher and through plain java -jar, next to the JVM's own start.
# Usage: bench/cli.sh [runs]   (builds target/jobstack.jar first if missing)
#        BASE_LAUNCHER=<another bin/jobstack> bench/cli.sh [runs]: that launcher's rows too, on the
#        same jar with a cache of its own, side by side (e.g. `git show <rev>:bin/jobstack`).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
[ -f target/jobstack.jar ] || ./mvnw -q -B -DskipTests package
data=$(mktemp -d)
java -jar target/jobstack.jar --server.port=18480 --jobstack.admin.port=16460 --jobstack.data-dir="$data" \
  > "$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 60); do curl -sf http://localhost:18480/actuator/health >/dev/null && break; sleep 0.5; done
export JOBSTACK_URL=http://localhost:18480 JOBSTACK_ADMIN_URL=http://127.0.0.1:16460 JOBSTACK_DATA_DIR="$data"
java -jar target/jobstack.jar apps install banks-lite examples/banks-lite >/dev/null

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# Wall time in milliseconds of each run; a command that fails stops the benchmark (its time would mean nothing).
measure() {
  local label=$1 start; shift
  for _ in $(seq "$runs"); do
    start=$(date +%s%N)
    if ! "$@" >/dev/null 2>/tmp/jobstack-cli-bench.$$; then
      echo "failed: $* ($(cat /tmp/jobstack-cli-bench.$$))" >&2
      exit 1
    fi
    echo $((($(date +%s%N) - start) / 1000000))
  done | median | xargs printf "| %s | %s ms |\n" "$label"
}
echo "| command | median wall time of $runs runs |"
echo "|---|---|"
measure "java -version (JVM start alone)" java -version
bin/jobstack --help >/dev/null   # prepares the launcher's extracted jar and class-data archive
base=(env JOBSTACK_JAR="$PWD/target/jobstack.jar" JOBSTACK_CLI_CACHE="$data/base-cache" bash "${BASE_LAUNCHER:-}")
[ -z "${BASE_LAUNCHER:-}" ] || "${base[@]}" --help >/dev/null
for cmd in "--help" "apps ls" "triggers ls" "jobs ls service"; do
  if [ -n "${BASE_LAUNCHER:-}" ]; then
    # shellcheck disable=SC2086
    measure "$BASE_LAUNCHER $cmd" "${base[@]}" $cmd
  fi
  # shellcheck disable=SC2086
  measure "bin/jobstack $cmd" bin/jobstack $cmd
  # shellcheck disable=SC2086
  measure "java -jar target/jobstack.jar $cmd" java -jar target/jobstack.jar $cmd
done
rm -f /tmp/jobstack-cli-bench.$$
