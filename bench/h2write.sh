#!/usr/bin/env bash
# What a durable write of a queued job costs H2 itself (H2WriteBench): one thread's CPU per job on a
# fresh H2 file with Jobstack's schema and settings, jobs committed 1, 3 or 8 at a time, or into a
# table without secondary indexes (moved into job in batches or not). No server, no HTTP.
# Usage: bench/h2write.sh [-Djobs=30000] [-Dwarmup=20000] [-Dways=direct-1,direct-3,direct-8,inbox-3,inbox-3-move-100]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -Pbench test-compile exec:java -Dbench=H2WriteBench "$@" 2>&1 | grep --line-buffered -vE ' (INFO|WARN) '
