#!/usr/bin/env bash
# Checker scale (issue #13: one checker, N targets at 1 s, no missed interval, < 1 core, < 300 MB RSS).
# For each N: starts the packaged app on N targets probed every 1 s, waits WARMUP seconds, measures WINDOW seconds
# with bench/ScaleBench.java, stops the app. Prints one row per N.
#   KIND=tcp (default): N drs targets, each probing its own local TCP listener (one NIO listener process).
#   KIND=redis: N dcs targets probing INFO replication on real Redis 6.2 (the embedded-redis jar's redis-server):
#     REDIS_SERVERS (default 4) servers, target i probing server i mod REDIS_SERVERS: many target names, few servers.
# Usage: bench/scale.sh [N ...]        (default 250 500 1000 2000; issue #13: 10000, and KIND=redis 1000)
# Env: WARMUP (default 30), WINDOW (default 30), PORT (default 18081),
#      JAVA_OPTS (JVM flags for the app; default the README's flags for a large fleet, see default_opts below),
#      MALLOC_ARENA_MAX (glibc's arenas for the app, default 2),
#      PREFLIGHT (default false: these targets have no cloud to preflight; true adds a preflight job per target),
#      SCRAPE (seconds between /q/metrics scrapes, default 5),
#      DUMPS=<dir> (a jstack, a heap histogram, heap info and the NMT summary of the app at the end of each window
#        into <dir>, needs jcmd; NMT needs -XX:NativeMemoryTracking=summary in JAVA_OPTS).
set -euo pipefail
cd "$(dirname "$0")/.."
# JAR=path/to/quarkus-run.jar measures another build (e.g. the one before a change) with the same script.
jar=${JAR:-target/quarkus-app/quarkus-run.jar}
[ -n "${JAR:-}" ] || [ -f "$jar" ] || ./mvnw -B -q package -DskipTests
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(250 500 1000 2000)
warmup=${WARMUP:-30}
window=${WINDOW:-30}
port=${PORT:-18081}
work=$(mktemp -d)
pid=
lpid=
rpids=()
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  [ -n "$lpid" ] && kill "$lpid" 2>/dev/null || true
  for p in "${rpids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

max=0
for n in "${sizes[@]}"; do [ "$n" -gt "$max" ] && max=$n; done
# Each probe is a connection: room for the listeners, the app's sockets and TIME_WAIT churn.
ulimit -n "$(( $(ulimit -Hn) < 65536 ? $(ulimit -Hn) : 65536 ))" 2>/dev/null || true

kind=${KIND:-tcp}
if [ "$kind" = redis ]; then
  JAR=$HOME/.m2/repository/com/github/codemonstur/embedded-redis/1.4.3/embedded-redis-1.4.3.jar
  [ -f "$JAR" ] || { echo "no $JAR (embedded-redis 1.4.3, for its redis-server binary)" >&2; exit 1; }
  unzip -p "$JAR" redis-server-6.2.6-v5-linux-amd64 > "$work/redis-server"
  chmod +x "$work/redis-server"
  servers=${REDIS_SERVERS:-4}
  read -r -a rports < <(java bench/DetectionBench.java ports "$servers")
  for p in "${rports[@]}"; do
    "$work/redis-server" --port "$p" --bind 127.0.0.1 --save '' --appendonly no --maxclients 20000 \
      --dir "$work" > "$work/redis-$p.log" 2>&1 &
    rpids+=($!)
  done
  for p in "${rports[@]}"; do
    for _ in $(seq 1 100); do java bench/ScaleBench.java ping "$p" >/dev/null 2>&1 && break; sleep 0.1; done
  done
  ports=()
  for ((i = 0; i < max; i++)); do ports+=("${rports[$((i % servers))]}"); done
else
  java bench/ScaleBench.java listen "$max" "$work/ports" > "$work/listen.log" 2>&1 &
  lpid=$!
  for _ in $(seq 1 120); do [ -f "$work/ports" ] && break; sleep 0.25; done
  [ -f "$work/ports" ] || { echo "listeners did not start:"; cat "$work/listen.log"; exit 1; }
  mapfile -t ports < "$work/ports"
fi

# The README's flags for a large fleet, the container image's (infra/functiongraph/bootstrap) with a smaller heap:
# the serial collector (its own structures are under 1 MB where G1's were 42-52 MB at this heap), the C1 compiler
# only (C2's code, profiles and compile arenas were 40-45 MB more RSS), a 176 MB heap (the live set at 10,000 is
# about 80 MB, more than half of it configuration), small stacks, and native memory given back to the OS (glibc's
# arenas capped, a trim every 5 s). Measured at 10,000 x 1 s, idle: 0.0 % missed, 0.88-0.95 cores, 280-291 MB. With C2
# instead: 0.63 cores, 320 MB. (The serial collector's 96 % missed of an earlier note was the TIME_WAIT table,
# full since fixed by the probes' reset, not its pauses: its young pauses are 10-20 ms here.)
default_opts="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx176m -Xss512k -XX:TrimNativeHeapInterval=5000 -XX:+ExitOnOutOfMemoryError"
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
key=bench-key-$RANDOM$RANDOM
# An app still shutting down from an earlier run would hold the port and answer the readiness probe.
if curl -s -o /dev/null "127.0.0.1:$port/q/health/ready"; then
  echo "port $port is in use (an earlier app still stopping?): wait, or set PORT"; exit 1
fi
echo "switchguard checker scale: JVM flags ${JAVA_OPTS:-$default_opts}, MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX, preflight ${PREFLIGHT:-false}"
echo "switchguard checker scale: $(nproc) cores, $(free -m | awk '/Mem:/{print $2}') MB RAM, $(java -version 2>&1 | head -1)"
if [ "$kind" = redis ]; then
  echo "targets: dcs, probe redis INFO replication on ${#rports[@]} local redis-servers ($("$work/redis-server" --version | cut -d' ' -f3)), interval 1s, timeout 500ms; warmup ${warmup}s, window ${window}s"
else
  echo "targets: drs, probe tcp 127.0.0.1 (one NIO listener process), interval 1s, timeout 500ms; warmup ${warmup}s, window ${window}s"
fi
java bench/ScaleBench.java header

for n in "${sizes[@]}"; do
  run=$work/run-$n
  mkdir -p "$run"
  {
    echo "switchguard:"
    echo "  cloud: {provider: sandbox}"
    echo "  api: {keys: $key}"
    echo "  store: {url: 'jdbc:h2:file:$run/db'}"
    echo "  preflight: {enabled: ${PREFLIGHT:-false}}"
    echo "  targets:"
    for ((i = 0; i < n; i++)); do
      if [ "$kind" = redis ]; then
        printf '    scale-%d: {kind: dcs, region: sandbox-1, project-id: 0000000000000000000000000000benc, instance-id: scale-inst-%d, auto: false, probe: {redis: "127.0.0.1:%s", cloud: false, interval: 1s, timeout: 500ms}}\n' \
          "$i" "$i" "${ports[$i]}"
      else
        printf '    scale-%d: {kind: drs, region: sandbox-1, project-id: 0000000000000000000000000000benc, job-id: scale-job-%d, mode: source, auto: false, probe: {tcp: "127.0.0.1:%s", cloud: false, interval: 1s, timeout: 500ms}}\n' \
          "$i" "$i" "${ports[$i]}"
      fi
    done
  } > "$run/application.yaml"
  # shellcheck disable=SC2086
  QUARKUS_CONFIG_LOCATIONS="$run/application.yaml" QUARKUS_HTTP_PORT=$port QUARKUS_LOG_LEVEL=WARN \
    java ${JAVA_OPTS:-$default_opts} -jar "$jar" > "$run/app.log" 2>&1 &
  pid=$!
  ready=
  for _ in $(seq 1 240); do
    if curl -sf "127.0.0.1:$port/q/health/ready" >/dev/null; then ready=1; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if [ -z "$ready" ]; then
    echo "$n: app not ready; last log lines:"; tail -20 "$run/app.log"
  else
    sleep "$warmup"
    if ! java bench/ScaleBench.java measure "http://127.0.0.1:$port" "$key" "$pid" "$n" "$window"; then
      echo "$n: measurement failed$(kill -0 "$pid" 2>/dev/null || echo ' (the app exited)'); last log lines:"
      tail -5 "$run/app.log" | cut -c1-400
    fi
    if [ -n "${DUMPS:-}" ] && command -v jcmd >/dev/null && kill -0 "$pid" 2>/dev/null; then
      mkdir -p "$DUMPS" && jcmd "$pid" Thread.print > "$DUMPS/jstack-$n.txt" 2>&1 || true
      jcmd "$pid" GC.class_histogram > "$DUMPS/histogram-$n.txt" 2>&1 || true
      jcmd "$pid" GC.heap_info > "$DUMPS/heap-$n.txt" 2>&1 || true
      # Where RSS goes by category; says "not enabled" unless JAVA_OPTS has -XX:NativeMemoryTracking=summary.
      jcmd "$pid" VM.native_memory summary > "$DUMPS/nmt-$n.txt" 2>&1 || true
      grep -E 'VmRSS|RssAnon|RssFile' "/proc/$pid/status" > "$DUMPS/rss-$n.txt" 2>/dev/null || true
    fi
    kill -0 "$pid" 2>/dev/null || { echo "$n: the app exited; last log lines:"; tail -5 "$run/app.log" | cut -c1-400; }
    errors=$(grep -c '"level":"ERROR"' "$run/app.log" || true)
    [ "$errors" = 0 ] || echo "       ($errors ERROR lines in the app log, e.g.: $(grep -m1 '"level":"ERROR"' "$run/app.log" | cut -c1-300))"
  fi
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=
done
