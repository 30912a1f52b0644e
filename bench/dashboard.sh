#!/usr/bin/env bash
# Dashboard pages with 100 000 jobs stored: median and worst time per page.
# Usage: bench/dashboard.sh [-Djobs=100000] [-Druns=20]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -Pbench test-compile exec:java -Dbench=DashboardBench "$@" 2>&1 | grep -vE ' (INFO|WARN) '
