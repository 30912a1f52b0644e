#!/usr/bin/env bash
# Soak: a bounded mixed load (events, webhooks, launches, queue calls with log and node jobs, app
# updates, installs and uninstalls, job listings, dashboard pages) on a server started apart, for
# as long as asked; each period prints the calls answered as expected and not, and the server's
# heap after a GC, live threads and open files. SoakTest runs the same for 60 s in the suite.
# Usage: bench/soak.sh [-Dminutes=10] [-Drate=40] [-Dthreads=4] [-Dperiod=60]
set -euo pipefail
cd "$(dirname "$0")/.."
# exec:java runs in Maven's JVM: the harness's HTTP client sends the instance's Host header.
export MAVEN_OPTS="${MAVEN_OPTS:-} -Djdk.httpclient.allowRestrictedHeaders=host"
./mvnw -q -B -Pbench test-compile exec:java -Dbench=SoakBench "$@" 2>&1 | grep -vE ' (INFO|WARN) '
