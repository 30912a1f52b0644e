#!/usr/bin/env bash
# Start-up: time from `java -jar target/jobstack.jar` to /actuator/health UP (H2, a fresh data
# folder each run, free ports), and the server's resident memory once it has idled for a while.
# Usage: bench/startup.sh [runs=3] [idle seconds=10] -- [JVM options...]
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bench/startup.sh 3 10 -- -XX:TieredStopAtLevel=1
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
idle=${2:-10}
shift $(( $# >= 2 ? 2 : $# )) || true
[ "${1:-}" = "--" ] && shift
java=${JAVA:-java}
[ -f target/jobstack.jar ] || ./mvnw -q -B -DskipTests package
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
echo "java: $("$java" -version 2>&1 | head -1); options: ${*:-none}; runs=$runs idle=${idle}s"
times=(); rss=()
for i in $(seq "$runs"); do
  data=$(mktemp -d /tmp/bench-startup.XXXXXX)
  port=$(free_port); admin=$(free_port)
  start=$(date +%s%N)
  "$java" "$@" -jar "${JAR:-target/jobstack.jar}" --jobstack.data-dir="$data" --server.port="$port" \
    --jobstack.admin.port="$admin" --jobstack.admin.passphrase=bench >"$data/out.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/actuator/health"; do
    kill -0 "$pid" 2>/dev/null || { echo "server died:"; tail -20 "$data/out.log"; exit 1; }
    sleep 0.02
  done
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  sleep "$idle"
  kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$data"
  echo "  run $i: healthy after $ms ms, RSS after ${idle}s idle $((kb / 1024)) MB"
  times+=("$ms"); rss+=("$((kb / 1024))")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "median: healthy after $(median "${times[@]}") ms, RSS $(median "${rss[@]}") MB"
