#!/usr/bin/env bash
# Checker scale (issue: one checker, N tcp targets at 1 s, no missed interval, < 1 core, < 300 MB RSS).
# For each N: starts the packaged app on N drs targets probing local TCP listeners every 1 s, waits WARMUP
# seconds, measures WINDOW seconds with bench/ScaleBench.java, stops the app. Prints one row per N.
# Usage: bench/scale.sh [N ...]        (default 250 500 1000 2000)
# Env: WARMUP (default 30), WINDOW (default 30), PORT (default 18081), JAVA_OPTS (extra JVM flags for the app),
#      DUMPS=<dir> (a jstack of the app at the end of each window into <dir>/jstack-<N>.txt, needs jstack).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(250 500 1000 2000)
warmup=${WARMUP:-30}
window=${WINDOW:-30}
port=${PORT:-18081}
work=$(mktemp -d)
pid=
lpid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  [ -n "$lpid" ] && kill "$lpid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

max=0
for n in "${sizes[@]}"; do [ "$n" -gt "$max" ] && max=$n; done
# Each probe is a connection: room for the listeners, the app's sockets and TIME_WAIT churn.
ulimit -n "$(( $(ulimit -Hn) < 65536 ? $(ulimit -Hn) : 65536 ))" 2>/dev/null || true

java bench/ScaleBench.java listen "$max" "$work/ports" > "$work/listen.log" 2>&1 &
lpid=$!
for _ in $(seq 1 120); do [ -f "$work/ports" ] && break; sleep 0.25; done
[ -f "$work/ports" ] || { echo "listeners did not start:"; cat "$work/listen.log"; exit 1; }
mapfile -t ports < "$work/ports"

key=bench-key-$RANDOM$RANDOM
# An app still shutting down from an earlier run would hold the port and answer the readiness probe.
if curl -s -o /dev/null "127.0.0.1:$port/q/health/ready"; then
  echo "port $port is in use (an earlier app still stopping?): wait, or set PORT"; exit 1
fi
echo "switchguard checker scale: $(nproc) cores, $(free -m | awk '/Mem:/{print $2}') MB RAM, $(java -version 2>&1 | head -1)"
echo "targets: drs, probe tcp 127.0.0.1 (one NIO listener process), interval 1s, timeout 500ms; warmup ${warmup}s, window ${window}s"
java bench/ScaleBench.java header

for n in "${sizes[@]}"; do
  run=$work/run-$n
  mkdir -p "$run"
  {
    echo "switchguard:"
    echo "  cloud: {provider: sandbox}"
    echo "  api: {keys: $key}"
    echo "  store: {url: 'jdbc:h2:file:$run/db'}"
    echo "  targets:"
    for ((i = 0; i < n; i++)); do
      printf '    scale-%d: {kind: drs, region: sandbox-1, project-id: 0000000000000000000000000000benc, job-id: scale-job-%d, mode: source, auto: false, probe: {tcp: "127.0.0.1:%s", cloud: false, interval: 1s, timeout: 500ms}}\n' \
        "$i" "$i" "${ports[$i]}"
    done
  } > "$run/application.yaml"
  # shellcheck disable=SC2086
  QUARKUS_CONFIG_LOCATIONS="$run/application.yaml" QUARKUS_HTTP_PORT=$port QUARKUS_LOG_LEVEL=WARN \
    java ${JAVA_OPTS:-} -jar target/quarkus-app/quarkus-run.jar > "$run/app.log" 2>&1 &
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
    if [ -n "${DUMPS:-}" ] && command -v jstack >/dev/null && kill -0 "$pid" 2>/dev/null; then
      mkdir -p "$DUMPS" && jstack "$pid" > "$DUMPS/jstack-$n.txt" 2>&1 || true
    fi
    errors=$(grep -c '"level":"ERROR"' "$run/app.log" || true)
    [ "$errors" = 0 ] || echo "       ($errors ERROR lines in the app log, e.g.: $(grep -m1 '"level":"ERROR"' "$run/app.log" | cut -c1-300))"
  fi
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=
done
