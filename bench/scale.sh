#!/usr/bin/env bash
# Scale (issue 17), on servers started from target/jobstack.jar (ScaleBench): the way in (enqueue and
# webhook against the HTTP floor), events into jobs with 10 to 100 000 triggers, a million jobs stored
# (queue throughput, listing latencies, memory: empty against stored, PostgreSQL and H2), and the queue
# while a million old jobs are purged.
# Usage: bench/scale.sh [-Dmode=enqueue,events,store,purge] [-Dclients=8] [-Dwarmup=10|jit] [-Dround=10] [-Drounds=3] [-Dpaused=true]
#                       [-Dduration=20] [-Dmany=100000] [-Djobs=1000000] [-Dtriggers=100000]
#                       [-Ddatabases=postgres,h2] [-Dsamples=50] [-DcliRuns=5] [-Dretention=1d]
#                       [-Dserver.args="--name=value ..."] [-Djvm.opts="..."] [-Dkeep=true]
#                       [-Dnmt=true -Djvm.opts=-XX:NativeMemoryTracking=summary] (store: where memory goes)
#        (every setting, with its default, in ScaleBench's Javadoc); builds target/jobstack.jar if it
#        is missing (not if it is stale: rebuild it with ./mvnw -B -DskipTests package).
#        bench/scale.sh smoke: every mode at tiny sizes on an in-process server (ScaleBenchSmokeTest,
#        left out of the default test run as it takes a minute or more).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = smoke ]; then
  exec ./mvnw -B test -Dtest=ScaleBenchSmokeTest -Dsurefire.excludedGroups= -Dsurefire.failIfNoSpecifiedTests=false
fi
if [ ! -f target/jobstack.jar ]; then
  echo "target/jobstack.jar is missing: building it (./mvnw -B -DskipTests package)"
  ./mvnw -q -B -DskipTests package
fi
# exec:java runs in Maven's JVM: the harness's HTTP clients send the instance's Host header.
export MAVEN_OPTS="${MAVEN_OPTS:-} -Djdk.httpclient.allowRestrictedHeaders=host"
./mvnw -q -B -Pbench test-compile exec:java -Dbench=ScaleBench "$@" 2>&1 | grep --line-buffered -vE ' (INFO|WARN) '
