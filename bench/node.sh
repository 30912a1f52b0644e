#!/usr/bin/env bash
# Node jobs: Jobstack's service worker vs raw `node` spawns of the same script, same concurrency.
# Usage: bench/node.sh [-Djobs=300] [-Dconcurrency=4] [-Druns=3] [-Dnode=/usr/bin/node]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -Pbench test-compile exec:java -Dbench=NodeJobsBench "$@" 2>&1 | grep -vE ' (INFO|WARN) '
