#!/usr/bin/env bash
# Gateway figures P1, P2, P6 (and an open-loop sweep) against a packaged jar, each beside a baseline measured in the
# same run (docs/benchmarks.md, "Harness"). The jar runs as its own process on a throw-away embedded PostgreSQL
# (durable: fsync and synchronous commit on); load comes from wrk (closed loop) and OpenLoad.java (open loop).
#
#   ./mvnw -B -ntp -pl api -am package -DskipTests
#   scripts/bench-gateway.sh [--jar api/target/pictura.jar] [--seconds 20] [--warmup 15] [--clients 8]
#                            [--accounts 16] [--rates 50,100,150] [--open-seconds 15] [--jfr] [--out DIR]
#
# Needs wrk (apt-get install -y wrk), psql, curl, java 17. Prints a table: figure, baseline, ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)

JAR=api/target/pictura.jar
DURATION=20
WARMUP=15
CLIENTS=8
ACCOUNTS=16
RATES=50,100,150
OPEN_SECONDS=15
JFR=no
OUT=""
while [ $# -gt 0 ]; do
    case "$1" in
        --jar) JAR="$2"; shift 2 ;;
        --seconds) DURATION="$2"; shift 2 ;;
        --warmup) WARMUP="$2"; shift 2 ;;
        --clients) CLIENTS="$2"; shift 2 ;;
        --accounts) ACCOUNTS="$2"; shift 2 ;;
        --rates) RATES="$2"; shift 2 ;;   # "" skips the open-loop sweep
        --open-seconds) OPEN_SECONDS="$2"; shift 2 ;;
        --jfr) JFR=yes; shift ;;
        --out) OUT="$2"; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
JAR=$(readlink -f "$JAR")
[ -f "$JAR" ] || { echo "no jar at $JAR" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
OUT=${OUT:-target/bench-gateway-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
OUT=$(readlink -f "$OUT")
WORK=$(mktemp -d /tmp/pictura-bench-XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
SIMKEY="sim_bench_$RANDOM$RANDOM"
APP_PID=""
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.${2:-2}f\", $1 }"; }
field() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }
log() { echo "[$(date +%T)] $*" >&2; }

stop_app() {
    if [ -n "$APP_PID" ] && kill -0 "$APP_PID" 2>/dev/null; then
        kill "$APP_PID"; wait "$APP_PID" 2>/dev/null || true
    fi
    APP_PID=""
}
cleanup() { stop_app; rm -rf "$WORK"; }
trap cleanup EXIT

# The HdrHistogram of the jar itself, for OpenLoad.java.
(cd "$WORK" && unzip -q -j -o "$JAR" 'BOOT-INF/lib/HdrHistogram-*.jar')
HDR=$(ls "$WORK"/HdrHistogram-*.jar)

# Starts the jar on data dir $1; sets APP_PID and READY (seconds from exec of the JVM to /actuator/health UP).
start_app() {
    local t0 t1 deadline
    t0=$(now)
    PICTURA_RPM=100000000 PICTURA_TPM=100000000000 PICTURA_SIMULATOR_API_KEY="$SIMKEY" \
        java ${JAVA_OPTS:-} -jar "$JAR" --server.port="$PORT" --pictura.embedded-postgres.data-dir="$1" \
        --pictura.embedded-postgres.durable=true --pictura.signup.free-credits=1000000 \
        --pictura.signup.exempt-addresses=127.0.0.1 --pictura.security.bcrypt-strength=4 --spring.main.banner-mode=off >>"$OUT/app.log" 2>&1 &
    APP_PID=$!
    deadline=$(( $(date +%s) + 300 ))
    until curl -sf "http://127.0.0.1:$PORT/actuator/health" 2>/dev/null | grep -q '"status":"UP"'; do
        kill -0 "$APP_PID" 2>/dev/null || { echo "the app died; see $OUT/app.log" >&2; exit 1; }
        [ "$(date +%s)" -lt "$deadline" ] || { echo "the app was not UP within 300 s" >&2; exit 1; }
        sleep 0.05
    done
    t1=$(now)
    READY=$(calc "$t1 - $t0")
}
rss_mib() { awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$APP_PID/status"; }
pg_port() { sed -n 4p "$WORK/pg/postmaster.pid"; }
sql() { PGPASSWORD=postgres psql -h 127.0.0.1 -p "$(pg_port)" -U postgres -d postgres -XAtqc "$1"; }
# reserved|charged|released over all wallets (the data dir is the run's own, so all wallets are the run's)
holds() {
    sql "select count(*) filter (where payload_type like '%CreditsReserved'), \
                count(*) filter (where payload_type like '%UsageCharged'), \
                count(*) filter (where payload_type like '%ReservationReleased') \
         from domain_event_entry where type = 'CreditWallet'"
}
# Waits until every hold is charged or released; prints the seconds waited.
wait_settled() {
    local t0 r c x deadline
    t0=$(now); deadline=$(( $(date +%s) + 300 ))
    while :; do
        IFS='|' read -r r c x <<<"$(holds)"
        [ "$r" -eq $((c + x)) ] && break
        [ "$(date +%s)" -lt "$deadline" ] || { echo "holds not settled after 300 s: $r reserved, $c charged, $x released" >&2; break; }
        sleep 0.2
    done
    calc "$(now) - $t0"
}
# wrk closed loop: threads (= connections = clients), path, comma-separated keys, seconds, body -> BENCH line
run_wrk() {
    BENCH_THREADS="$1" BENCH_KEYS="$3" BENCH_BODY="$5" \
        wrk -t"$1" -c"$1" -d"$4"s --timeout 30s -s "$REPO/scripts/bench-wrk.lua" "http://127.0.0.1:$PORT$2" \
        | tee -a "$OUT/wrk.log" | grep '^BENCH'
}
ok_rate() { calc "($(field "$1" requests) - $(field "$1" non2xx)) / ($(field "$1" duration_us) / 1e6)" 1; }
ms() { calc "$(field "$1" "$2") / 1000" 2; }
open_loop() { # path keys rate body
    BENCH_BODY="$4" java -cp "$HDR" "$REPO/api/src/test/java/com/pictura/api/bench/OpenLoad.java" \
        "http://127.0.0.1:$PORT$1" "$2" "$3" "$OPEN_SECONDS" 3 2>>"$OUT/open.log" | tee -a "$OUT/open.log"
}

BODY='{"model":"llama-3.1-8b-instruct","max_tokens":16,"messages":[{"role":"user","content":"Say hello."}]}'
SIMBODY=${BODY/llama-3.1-8b-instruct/meta-llama\/Llama-3.1-8B-Instruct}
T_ALL=$(now)

log "jar $JAR ($(sha256sum "$JAR" | cut -c1-12)), port $PORT, out $OUT, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
log "P6: start on a fresh data dir"
start_app "$WORK/pg"
READY_FRESH=$READY
JVM_REPORTED=$(grep -o 'process running for [0-9.]*' "$OUT/app.log" | tail -1 | awk '{print $4}')
RSS_IDLE=$(rss_mib)
log "  UP after $READY_FRESH s (Spring: process running for ${JVM_REPORTED:-?} s), RSS $RSS_IDLE MiB"

T_SETUP=$(now)
KEYS=""
for i in $(seq 1 "$ACCOUNTS"); do
    email="bench-$i-$RANDOM$RANDOM@example.com"
    curl -sf -XPOST "http://127.0.0.1:$PORT/api/accounts" -H 'content-type: application/json' \
        -d "{\"email\":\"$email\",\"password\":\"correct horse battery\",\"ageConfirmed\":true,\"termsAccepted\":true}" \
        >/dev/null || { echo "sign-up failed at account $i" >&2; exit 1; }
    token=$(curl -sf -XPOST "http://127.0.0.1:$PORT/api/session" -H 'content-type: application/json' \
        -d "{\"email\":\"$email\",\"password\":\"correct horse battery\"}" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
    # keys need a verified email: open the link from the built-in outbox (jars before email verification have none)
    verify=$( (curl -sf "http://127.0.0.1:$PORT/api/outbox" -H "Authorization: Bearer $token" || true) \
        | { grep -o 'token=ev_[0-9A-Za-z_-]*' || true; } | head -1 | cut -d= -f2)
    if [ -n "$verify" ]; then
        curl -sf -XPOST "http://127.0.0.1:$PORT/api/email-verifications" -H 'content-type: application/json' \
            -d "{\"token\":\"$verify\"}" >/dev/null
    fi
    key=$(curl -sf -XPOST "http://127.0.0.1:$PORT/api/keys" -H "Authorization: Bearer $token" \
        -H 'content-type: application/json' -d '{"name":"bench"}' | sed -n 's/.*"key":"\([^"]*\)".*/\1/p')
    [ -n "$key" ] || { echo "account setup failed at account $i" >&2; exit 1; }
    KEYS="$KEYS${KEYS:+,}$key"
done
# the first call of each key also proves the setup (credits, rate limits, simulator key)
curl -sf "http://127.0.0.1:$PORT/v1/chat/completions" -H "Authorization: Bearer ${KEYS%%,*}" \
    -H 'content-type: application/json' -d "$BODY" >/dev/null || { echo "a /v1 call failed after setup" >&2; exit 1; }
log "  $ACCOUNTS accounts with keys in $(calc "$(now) - $T_SETUP" 1) s"

log "warm-up: ${WARMUP}s each, simulator direct and /v1, $CLIENTS clients"
run_wrk "$CLIENTS" /simulator/v1/chat/completions "$SIMKEY" "$WARMUP" "$SIMBODY" >/dev/null
run_wrk "$CLIENTS" /v1/chat/completions "$KEYS" "$WARMUP" "$BODY" >/dev/null
log "  settled after $(wait_settled) s"

T_P1=$(now)
log "P1: $CLIENTS clients, ${DURATION}s, simulator direct (baseline)"
P1_SIM=$(run_wrk "$CLIENTS" /simulator/v1/chat/completions "$SIMKEY" "$DURATION" "$SIMBODY")
log "  $P1_SIM"
log "P1: $CLIENTS clients, ${DURATION}s, /v1"
IFS='|' read -r R0 C0 X0 <<<"$(holds)"
echo 0 >"$WORK/rss"
( max=0; while kill -0 "$APP_PID" 2>/dev/null; do r=$(rss_mib); [ "$r" -gt "$max" ] && max=$r && echo "$max" >"$WORK/rss"; sleep 0.5; done ) &
RSS_SAMPLER=$!
if [ "$JFR" = yes ]; then   # jcmd reports its failures on stdout, with a non-zero status: not fatal here
    jcmd "$APP_PID" JFR.start duration="${DURATION}s" filename="$OUT/p1.jfr" >>"$OUT/jfr.log" 2>&1 \
        || log "  JFR did not start (see $OUT/jfr.log)"
fi
T0=$(now)
P1_V1=$(run_wrk "$CLIENTS" /v1/chat/completions "$KEYS" "$DURATION" "$BODY")
kill "$RSS_SAMPLER"; wait "$RSS_SAMPLER" 2>/dev/null || true
RSS_LOAD=$(cat "$WORK/rss")
LAG=$(wait_settled)
T1=$(now)
IFS='|' read -r R1 C1 X1 <<<"$(holds)"
SETTLED=$((C1 - C0))
SETTLED_RATE=$(calc "$SETTLED / ($T1 - $T0)" 1)
log "  $P1_V1"
log "  $SETTLED charged, $((X1 - X0)) released, $((R1 - R0)) reserved; last charge $LAG s after the load ended"
P1_SIM_RATE=$(ok_rate "$P1_SIM")
P1_V1_RATE=$(ok_rate "$P1_V1")
T_P1=$(calc "$(now) - $T_P1" 0)

T_P2=$(now)
log "P2: 1 client, ${DURATION}s, simulator direct then /v1"
P2_SIM=$(run_wrk 1 /simulator/v1/chat/completions "$SIMKEY" "$DURATION" "$SIMBODY")
P2_V1=$(run_wrk 1 /v1/chat/completions "$KEYS" "$DURATION" "$BODY")
log "  simulator: $P2_SIM"
log "  /v1:       $P2_V1"
log "  settled after $(wait_settled) s"
T_P2=$(calc "$(now) - $T_P2" 0)

T_OPEN=$(now)
OPEN_ROWS=""
if [ -n "$RATES" ]; then
    for rate in ${RATES//,/ }; do
        log "open loop at $rate/s, ${OPEN_SECONDS}s (+3 s warm-up), simulator direct then /v1"
        s=$(open_loop /simulator/v1/chat/completions "$SIMKEY" "$rate" "$SIMBODY")
        v=$(open_loop /v1/chat/completions "$KEYS" "$rate" "$BODY")
        lag=$(wait_settled)
        OPEN_ROWS="$OPEN_ROWS$(printf '| %s/s | %s/s, p50 %s, p99 %s, max %s ms | %s/s, p50 %s, p90 %s, p99 %s, max %s ms (%s failed) | %s s |' \
            "$rate" "$(field "$s" completed_per_s)" "$(field "$s" p50_ms)" "$(field "$s" p99_ms)" "$(field "$s" max_ms)" \
            "$(field "$v" completed_per_s)" "$(field "$v" p50_ms)" "$(field "$v" p90_ms)" "$(field "$v" p99_ms)" \
            "$(field "$v" max_ms)" "$(field "$v" failed)" "$lag")"$'\n'
    done
fi
T_OPEN=$(calc "$(now) - $T_OPEN" 0)

T_P6=$(now)
log "P6: restart on the existing data dir"
stop_app
start_app "$WORK/pg"
READY_WARM=$READY
stop_app
T0=$(now); java -version >/dev/null 2>&1; JVM_BARE=$(calc "$(now) - $T0" 3)
T_P6=$(calc "$(now) - $T_P6" 0)

if [ "$JFR" = yes ] && [ -f "$OUT/p1.jfr" ]; then
    jfr print --events jdk.ExecutionSample "$OUT/p1.jfr" | grep -E '^\s+[a-zA-Z].*line:' | sed 's/ line:.*//' \
        | sort | uniq -c | sort -rn | head -60 \
        >"$OUT/p1-hot-frames.txt" || true
    jfr print --events jdk.ExecutionSample "$OUT/p1.jfr" | awk '/stackTrace = \[/ { getline; print }' \
        | sort | uniq -c | sort -rn | head -40 >"$OUT/p1-top-frames.txt" || true
fi

{
echo
echo "Pictura gateway benchmark, $(date -u +%FT%TZ), jar $(basename "$JAR") sha256 $(sha256sum "$JAR" | cut -c1-12),"
echo "$(nproc) cores, load average at the end $(cut -d' ' -f1-3 /proc/loadavg); PostgreSQL embedded, durable; ${DURATION}s per run"
echo
echo "| figure | value | baseline (same run) | baseline value | ratio |"
echo "|---|---|---|---|---|"
echo "| P1 settled calls/s, /v1, $CLIENTS clients | $SETTLED_RATE/s (responses $P1_V1_RATE/s, p50 $(ms "$P1_V1" p50_us) ms, p99 $(ms "$P1_V1" p99_us) ms) | simulator direct, $CLIENTS clients | $P1_SIM_RATE/s (p50 $(ms "$P1_SIM" p50_us) ms) | $(calc "$SETTLED_RATE / $P1_SIM_RATE * 100" 1) % |"
for p in 50 90 99; do
    echo "| P2 p$p latency, /v1, 1 client | $(ms "$P2_V1" p${p}_us) ms | simulator direct, 1 client | $(ms "$P2_SIM" p${p}_us) ms | $(calc "$(field "$P2_V1" p${p}_us) / $(field "$P2_SIM" p${p}_us)" 1)× |"
done
echo "| P2 added at p50, 1 client | $(calc "($(field "$P2_V1" p50_us) - $(field "$P2_SIM" p50_us)) / 1000" 2) ms | | | |"
echo "| P2 throughput, 1 client | $(ok_rate "$P2_V1")/s | simulator direct | $(ok_rate "$P2_SIM")/s | $(calc "$(ok_rate "$P2_V1") / $(ok_rate "$P2_SIM") * 100" 1) % |"
echo "| P6 start to ready, fresh data dir | $READY_FRESH s | bare JVM (java -version) | $JVM_BARE s | $(calc "$READY_FRESH / $JVM_BARE" 0)× |"
echo "| P6 start to ready, existing data dir | $READY_WARM s | bare JVM (java -version) | $JVM_BARE s | $(calc "$READY_WARM / $JVM_BARE" 0)× |"
echo "| P6 RSS under P1 load (max) | $RSS_LOAD MiB | RSS idle, just UP | $RSS_IDLE MiB | $(calc "$RSS_LOAD / $RSS_IDLE" 2)× |"
if [ -n "$OPEN_ROWS" ]; then
    echo
    echo "Open loop (latency from each request's due time, HdrHistogram; ${OPEN_SECONDS}s per rate):"
    echo
    echo "| offered | simulator direct | /v1 | holds settled after |"
    echo "|---|---|---|---|"
    printf '%s' "$OPEN_ROWS"
fi
echo
echo "P1 settlement: $SETTLED calls charged from the first /v1 request to the last charge ($LAG s after the load ended); $((X1 - X0)) holds released"
echo "time: P1 ${T_P1}s, P2 ${T_P2}s, open loop ${T_OPEN}s, P6 restart ${T_P6}s, all $(calc "$(now) - $T_ALL" 0)s; logs in $OUT"
} | tee "$OUT/report.md"
