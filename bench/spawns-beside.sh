#!/usr/bin/env bash
# Raw node spawns beside a server that has just started and does nothing: what its own background
# work (the JIT compilers working through the start's code, its idle loops) takes from node in its
# first minute. N spawns of an empty script, C at a time (clean environment, PATH only), first with no
# server, then right after a fresh server from the jar answers its health check; in turn, R rounds.
# Usage: [JAR=target/jobstack.jar|bench/floor/target/floor.jar] bench/spawns-beside.sh [N=400] [C=4] [R=2]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-400}; c=${2:-4}; rounds=${3:-2}
jar=${JAR:-target/jobstack.jar}
[ -f "$jar" ] || { echo "$jar is missing" >&2; exit 2; }
node=$(command -v node)
work=$(mktemp -d /tmp/bench-spawns.XXXXXX)
trap 'rm -rf "$work"' EXIT
: > "$work/empty.js"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
spawns() { # prints spawns/s
  local start end
  start=$(date +%s%N)
  seq "$n" | xargs -P "$c" -I{} env -i PATH=/usr/bin:/bin "$node" "$work/empty.js"
  end=$(date +%s%N)
  python3 -c "print('%.1f' % ($n / (($end - $start) / 1e9)))"
}
hz=$(getconf CLK_TCK)
echo "jar: $jar; $n spawns, $c at a time, $rounds rounds"
echo "| round | alone spawns/s | beside the new server spawns/s | ratio | server CPU during the spawns (s) |"
echo "|---|---|---|---|---|"
for r in $(seq "$rounds"); do
  alone=$(spawns)
  data=$(mktemp -d "$work/data.XXXXXX"); chmod 700 "$data"
  port=$(free_port); admin=$(free_port)
  java -jar "$jar" --jobstack.data-dir="$data" --server.port="$port" --jobstack.admin.port="$admin" \
    --jobstack.admin.passphrase=bench >"$data/out.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/actuator/health"; do
    kill -0 "$pid" 2>/dev/null || { echo "server died:"; tail -20 "$data/out.log"; exit 1; }
    sleep 0.02
  done
  before=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  beside=$(spawns)
  after=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  python3 -c "print('| %d | %s | %s | %.2f | %.1f |' % ($r, '$alone', '$beside', $beside / $alone, ($after - $before) / $hz))"
done
