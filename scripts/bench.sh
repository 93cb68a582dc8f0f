#!/usr/bin/env bash
# Runs one of the benchmark harnesses in api/src/test/java/com/pictura/api/bench (docs/benchmarks.md):
#   scripts/bench.sh LedgerBenchmark
#   scripts/bench.sh LedgerBenchmark figures                   # P3 and P4 as ratios
#   JAVA_OPTS="-Dbench.snapshot-every=1000" scripts/bench.sh LedgerBenchmark
#   JAVA_OPTS="-Dbench.events=1000000" scripts/bench.sh ReplayBenchmark   # P5
#   scripts/bench.sh GatewayLoad 8 15 20 10     # clients, seconds, accounts, warm-up seconds
# With BENCH_JAR=path/to/pictura.jar the harness (LedgerBenchmark, ReplayBenchmark) is compiled against that
# packaged jar and runs on its classes instead of this worktree's, so that the figures of any commit's jar can be
# taken with the harness of this one. (GatewayLoad needs the test classes, so it runs only from the worktree.)
# P1, P2 and P6 come from scripts/bench-gateway.sh, which runs the jar as its own process.
set -euo pipefail
cd "$(dirname "$0")/.."
harness="$1"; shift
if [ -n "${BENCH_JAR:-}" ]; then
    jar=$(readlink -f "$BENCH_JAR")
    dir="target/bench-jar/$(sha256sum "$jar" | cut -c1-16)"
    if [ ! -d "$dir/BOOT-INF" ]; then
        mkdir -p "$dir" && (cd "$dir" && unzip -q "$jar")
    fi
    # The application's own META-INF (orm.xml, spring.factories) sits at the jar's root, beside the loader's.
    mkdir -p "$dir/app-root/META-INF" && cp "$dir"/META-INF/*.xml "$dir"/META-INF/*.factories "$dir/app-root/META-INF/" 2>/dev/null || true
    lib="$dir/app-root:$dir/BOOT-INF/classes:$dir/BOOT-INF/lib/*"
    rm -rf "$dir/bench-classes"
    javac -nowarn -d "$dir/bench-classes" -cp "$lib" api/src/test/java/com/pictura/api/bench/{LedgerBenchmark,ReplayBenchmark,OpenLoad}.java
    exec java ${JAVA_OPTS:-} -cp "$dir/bench-classes:$lib" "com.pictura.api.bench.$harness" "$@"
fi
./mvnw -q -B -pl api -am -DskipTests test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
cp="api/target/test-classes:api/target/classes:$(cat api/target/bench-classpath.txt)"
exec java ${JAVA_OPTS:-} -cp "$cp" "com.pictura.api.bench.$harness" "$@"
