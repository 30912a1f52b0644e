#!/usr/bin/env bash
# The H2 file under load: a server from the jar (H2, a fresh data folder, free ports) takes `log`
# jobs over `POST /jobs/queue/log` from 8 keep-alive connections (ApacheBench, `ab`, Debian package
# apache2-utils), round after round; after each round and then every 10 s while the queue drains and
# the server idles: the file's size, the share of it held by chunks and the share of the chunks
# still live (the jobstack.h2.* gauges), the jobs still queued, and enqueue requests/s.
# Usage: bench/h2file.sh [rounds=7] [requests per round=10000] [idle samples=6] -- [server arguments...]
#   JAR=/tmp/other.jar bench/h2file.sh 7 10000 6 -- --jobstack.h2.upkeep-interval=0
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-7}
requests=${2:-10000}
samples=${3:-6}
shift $(( $# >= 3 ? 3 : $# )) || true
[ "${1:-}" = "--" ] && shift
jar=${JAR:-target/jobstack.jar}
[ -f "$jar" ] || ./mvnw -q -B -DskipTests package
command -v ab >/dev/null || { echo "needs ab (apt-get install -y apache2-utils)" >&2; exit 2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
data=$(mktemp -d /tmp/bench-h2file.XXXXXX)
port=$(free_port); admin=$(free_port)
java -jar "$jar" --jobstack.data-dir="$data/data" --server.port="$port" --jobstack.admin.port="$admin" \
  --jobstack.admin.passphrase=bench "$@" > "$data/server.out" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/actuator/health" >/dev/null && break; sleep 1; done
token=$(curl -sf -u :bench -X POST \
  "http://127.0.0.1:$admin/instances/token?Domain=localhost&Subject=bench&Audience=cli&Scope=io.cozy.jobs")
echo '{"data":{"attributes":{"arguments":{"message":"x"}}}}' > "$data/body.json"
metric() {
  curl -s -u :bench "http://127.0.0.1:$admin/actuator/metrics/$1" | grep -o '"value":[0-9.NaE-]*' | head -1 | cut -d: -f2
}
row() {
  printf '%-12s %8s %10s MB %8s %8s %8s\n' "$1" "$2" "$(( $(stat -c %s "$data/data/jobstack.mv.db") / 1000000 ))" \
    "$(metric jobstack.h2.file.used)" "$(metric jobstack.h2.chunks.live)" "$(metric jobstack.jobs.queued)"
}
echo "jar: $jar; server arguments: ${*:-none}; $rounds rounds of $requests jobs"
printf '%-12s %8s %13s %8s %8s %8s\n' when 'req/s' file used live queued
for r in $(seq 1 "$rounds"); do
  rps=$(ab -q -k -n "$requests" -c 8 -p "$data/body.json" -T application/json -H "Authorization: Bearer $token" \
    -H "Host: localhost" "http://127.0.0.1:$port/jobs/queue/log" 2>&1 | awk '/Requests per second/ {print $4}')
  row "round $r" "$rps"
done
for i in $(seq 1 "$samples"); do sleep 10; row "+$((i * 10)) s" -; done
