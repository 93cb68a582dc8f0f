#!/usr/bin/env bash
# The ledger benchmark (docs/benchmarks.md): reserve + commit pairs per second, cache and snapshots on and off,
# beside raw JDBC on the same PostgreSQL. Extra JVM options pass through, e.g.
#   scripts/bench-ledger.sh -Dbench.seconds=20 -Dbench.snapshot-every=1000
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -pl api -am -DskipTests test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
cp="api/target/test-classes:api/target/classes:$(cat api/target/bench-classpath.txt)"
exec java "$@" -cp "$cp" com.pictura.api.bench.LedgerBenchmark
