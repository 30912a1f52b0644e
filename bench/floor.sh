#!/usr/bin/env bash
# The floor of the way in (FloorBench): bench/floor/target/floor.jar, Jobstack's stack (the same
# Spring Boot starters, H2 on a file) with nearly no application code, measured as bench/scale.sh
# -Dmode=enqueue measures Jobstack: GET /actuator/health against POST /jobs/queue/log (a job row
# committed before the 202), requests/s, their ratio, server and client CPU per request.
# Usage: bench/floor.sh [-Dclients=8] [-Dwarmup=10|jit] [-Dround=10] [-Drounds=3] [-Djava=/path/to/java]
#                       [-Dserver.args="--floor.write-job=false"] (the same request and answer without
#                       the job row: the HTTP side of an enqueue alone)
#        (the server's java: -Djava, else $JAVA, else the JDK Maven runs on); builds
#        bench/floor/target/floor.jar if it is missing (not if it is stale: rebuild it with
#        ./mvnw -B -q -f bench/floor/pom.xml -DskipTests package).
# The floor's start-up is measured with: JAR=bench/floor/target/floor.jar bench/startup.sh 3 5
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f bench/floor/target/floor.jar ]; then
  echo "bench/floor/target/floor.jar is missing: building it (./mvnw -B -f bench/floor/pom.xml -DskipTests package)"
  ./mvnw -q -B -f bench/floor/pom.xml -DskipTests package
fi
./mvnw -q -B -Pbench test-compile exec:java -Dbench=FloorBench "$@" 2>&1 | grep --line-buffered -vE ' (INFO|WARN) '
