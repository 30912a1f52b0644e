#!/usr/bin/env bash
# CLI start-up: wall time of client commands against a local server, through the bin/jobstack
# launcher and through plain java -jar, next to the JVM's own start.
# Usage: bench/cli.sh [runs]   (builds target/jobstack.jar first if missing)
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
measure() {
  local label=$1; shift
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e" "$@" >/dev/null 2>>/tmp/jobstack-cli-bench.$$ || true
    tail -1 /tmp/jobstack-cli-bench.$$
  done | median | xargs printf "| %s | %s s |\n" "$label"
}
echo "| command | median wall time ($runs runs) |"
echo "|---|---|"
measure "java -version (JVM start alone)" java -version
bin/jobstack --help >/dev/null   # prepares the launcher's extracted jar and class-data archive
for cmd in "--help" "apps ls" "triggers ls" "jobs ls service"; do
  # shellcheck disable=SC2086
  measure "bin/jobstack $cmd" bin/jobstack $cmd
  # shellcheck disable=SC2086
  measure "java -jar target/jobstack.jar $cmd" java -jar target/jobstack.jar $cmd
done
rm -f /tmp/jobstack-cli-bench.$$
