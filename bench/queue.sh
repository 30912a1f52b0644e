#!/usr/bin/env bash
# Queue throughput, Jobstack vs db-scheduler, H2 and PostgreSQL (embedded, fsync on).
# Usage: bench/queue.sh [-Djobs=20000] [-Dthreads=8] [-Druns=5] [-Ddbs=h2,postgresql] [-Dh2opts=]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -Pbench test-compile exec:java -Dbench=QueueThroughputBench "$@" 2>&1 | grep -vE ' (INFO|WARN) '
