#!/usr/bin/env bash
# Start-up: time from `java -jar target/jobstack.jar` to /actuator/health UP (H2, a fresh data
# folder each run, free ports), and the server's resident memory once it has idled for a while.
# Usage: bench/startup.sh [runs=3] [idle seconds=10] -- [JVM options...]
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bench/startup.sh 3 10 -- -XX:TieredStopAtLevel=1
#   LAUNCHER=1 bench/startup.sh 3 10 -- -XX:+UseSerialGC: through `bin/jobstack serve` instead (the
#   options in JOBSTACK_JAVA_OPTS, JAVA as JOBSTACK_JAVA, a fresh cache), after one start that is not
#   counted: it records the launcher's class archive for those options.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
idle=${2:-10}
shift $(( $# >= 2 ? 2 : $# )) || true
[ "${1:-}" = "--" ] && shift
java=${JAVA:-java}
[ -f target/jobstack.jar ] || ./mvnw -q -B -DskipTests package
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
launcher=${LAUNCHER:-}
cache=$(mktemp -d /tmp/bench-startup-cache.XXXXXX)
trap 'rm -rf "$cache"' EXIT
echo "java: $("$java" -version 2>&1 | head -1); options: ${*:-none}; ${launcher:+through bin/jobstack serve; }runs=$runs idle=${idle}s"
times=(); rss=(); cpus=(); mains=()
first=1
[ -n "$launcher" ] && first=0
for i in $(seq "$first" "$runs"); do
  data=$(mktemp -d /tmp/bench-startup.XXXXXX)
  port=$(free_port); admin=$(free_port)
  start=$(date +%s%N)
  settings=(--jobstack.data-dir="$data" --server.port="$port" --jobstack.admin.port="$admin" --jobstack.admin.passphrase=bench)
  if [ -n "$launcher" ]; then
    env JOBSTACK_JAVA="$(command -v "$java")" JOBSTACK_JAVA_OPTS="$*" JOBSTACK_CLI_CACHE="$cache" \
      JOBSTACK_JAR="$PWD/${JAR:-target/jobstack.jar}" bin/jobstack serve "${settings[@]}" >"$data/out.log" 2>&1 &
  else
    "$java" "$@" -jar "${JAR:-target/jobstack.jar}" "${settings[@]}" >"$data/out.log" 2>&1 &
  fi
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/actuator/health"; do
    kill -0 "$pid" 2>/dev/null || { echo "server died:"; tail -20 "$data/out.log"; exit 1; }
    sleep 0.02
  done
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$pid/stat")
  # the JVM's main thread keeps the launcher's name, "java" (the compiler and GC threads have their own)
  main=$(cat /proc/"$pid"/task/*/stat | awk -v hz="$(getconf CLK_TCK)" '$2 == "(java)" {t += $14 + $15} END {printf "%.1f", t / hz}')
  sleep "$idle"
  kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$data"
  if [ "$i" = 0 ]; then
    echo "  recording start (not counted): healthy after $ms ms"
    continue
  fi
  echo "  run $i: healthy after $ms ms (server CPU ${cpu} s, main thread ${main} s), RSS after ${idle}s idle $((kb / 1024)) MB"
  times+=("$ms"); rss+=("$((kb / 1024))"); cpus+=("$cpu"); mains+=("$main")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "median: healthy after $(median "${times[@]}") ms, server CPU $(median "${cpus[@]}") s, main thread $(median "${mains[@]}") s, RSS $(median "${rss[@]}") MB"
