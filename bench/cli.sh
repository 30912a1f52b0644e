#!/usr/bin/env bash
# CLI start-up: wall time of client commands against a local server, next to the JVM's own start.
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
measure "jobstack --help (no network)" java -jar target/jobstack.jar --help
measure "jobstack apps ls" java -jar target/jobstack.jar apps ls
measure "jobstack triggers ls" java -jar target/jobstack.jar triggers ls
measure "jobstack apps ls, -XX:TieredStopAtLevel=1" java -XX:TieredStopAtLevel=1 -jar target/jobstack.jar apps ls
rm -f /tmp/jobstack-cli-bench.$$
