#!/usr/bin/env bash
# A cluster of real servers (target/jobstack.jar) on one embedded PostgreSQL: throughput of log and
# service jobs with 1, 2 and 3 nodes, the wake-up latency of a node for a job queued through another,
# and the cost of LISTEN/NOTIFY on enqueue (notifications on vs off, interleaved).
# Usage: bench/cluster.sh [-Dlogs=3000] [-Dservices=300] [-Dclients=8] [-Dsamples=200] [-Drate=3] [-Dpoll=1s]
#                         [-Denqueues=5000] [-Drounds=2] [-Dparts=throughput,latency,notify]
set -euo pipefail
cd "$(dirname "$0")/.."
# exec:java runs in Maven's JVM: the harness's HTTP client sends the instance's Host header.
export MAVEN_OPTS="${MAVEN_OPTS:-} -Djdk.httpclient.allowRestrictedHeaders=host"
./mvnw -q -B -Pbench -DskipTests package exec:java -Dbench=ClusterBench "$@" 2>&1 | grep -vE ' (INFO|WARN) '
