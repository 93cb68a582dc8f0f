#!/usr/bin/env bash
# Runs one of the benchmark harnesses in api/src/test/java/com/pictura/api/bench (docs/benchmarks.md):
#   scripts/bench.sh LedgerBenchmark
#   JAVA_OPTS="-Dbench.snapshot-every=1000" scripts/bench.sh LedgerBenchmark
#   scripts/bench.sh GatewayLoad 8 15 20 10     # clients, seconds, accounts, warm-up seconds
set -euo pipefail
cd "$(dirname "$0")/.."
harness="$1"; shift
./mvnw -q -B -pl api -am -DskipTests test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
cp="api/target/test-classes:api/target/classes:$(cat api/target/bench-classpath.txt)"
exec java ${JAVA_OPTS:-} -cp "$cp" "com.pictura.api.bench.$harness" "$@"
