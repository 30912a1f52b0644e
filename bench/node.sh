#!/usr/bin/env bash
# Node jobs: Jobstack's service worker vs raw `node` spawns of the same script, same concurrency.
# Usage: bench/node.sh [-Djobs=300] [-Dconcurrency=4] [-Druns=3] [-Dnode=/usr/bin/node]
#          in process (NodeJobsBench): the server runs inside the harness's JVM.
#        bench/node.sh http [-Djobs=120] [-Dwarmup=120|jit] [-Druns=3] [-Dconcurrency=4] [-Dclients=8]
#          through the HTTP API of a server started from target/jobstack.jar (NodeHttpBench): jobs/s
#          against raw spawns, the server JVM's CPU per job, where a job's CPU goes against a raw
#          spawn's (node and its wrapper, the server JVM, the harness), and how busy the slots were;
#          -Dphases=true: also the medians from a job's claim to node's start, to its exit, to the job's end.
#          -Dwarmup=jit: warm-up batches of 500 jobs until the server's JIT compilers take under 5 % of a CPU.
#        bench/node.sh latency [-Dn=200] [-DwarmupSamples=20] [-Dpause=50]
#          same server: event posted -> first statement of the service, one at a time, p50/p90/p99/max.
#        The last two also take -Dserver.args="--name=value ..." (server settings), -Djvm.opts="...",
#        -Dkeep=true; they build target/jobstack.jar if it is missing (not if it is stale: they warn).
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
http | latency)
  mode=$1
  shift
  if [ ! -f target/jobstack.jar ]; then
    echo "target/jobstack.jar is missing: building it (./mvnw -B -DskipTests package)"
    ./mvnw -q -B -DskipTests package
  fi
  # exec:java runs in Maven's JVM: the harness's HTTP client sends the instance's Host header.
  export MAVEN_OPTS="${MAVEN_OPTS:-} -Djdk.httpclient.allowRestrictedHeaders=host"
  ./mvnw -q -B -Pbench test-compile exec:java -Dbench=NodeHttpBench -Dmode="$mode" "$@" 2>&1 |
    grep -vE ' (INFO|WARN) '
  ;;
*)
  ./mvnw -q -B -Pbench test-compile exec:java -Dbench=NodeJobsBench "$@" 2>&1 | grep -vE ' (INFO|WARN) '
  ;;
esac
