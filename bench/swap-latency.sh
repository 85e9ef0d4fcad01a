#!/usr/bin/env bash
# Manual /swap latency against the sandbox (issue: p99 overhead under 20 ms).
# Starts the packaged app with 16 sandbox dcs targets, runs bench/SwapBench.java, prints the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
# JAR=path/to/quarkus-run.jar measures another build (e.g. the one before a change) with the same script.
jar=${JAR:-target/quarkus-app/quarkus-run.jar}
[ -n "${JAR:-}" ] || [ -f "$jar" ] || ./mvnw -B -q package -DskipTests
work=$(mktemp -d)
trap 'kill "${pid:-}" 2>/dev/null; wait "${pid:-}" 2>/dev/null; rm -rf "$work"' EXIT
port=${PORT:-18080}
key=bench-key-$RANDOM$RANDOM
{
  echo "switchguard:"
  echo "  cloud: {provider: sandbox}"
  echo "  api: {keys: $key}"
  echo "  store: {url: 'jdbc:h2:file:$work/db'}"
  echo "  targets:"
  for i in $(seq 0 15); do
    printf '    bench-%d: {kind: dcs, region: sandbox-1, project-id: 0000000000000000000000000000benc, instance-id: bench-instance-%02d}\n' "$i" "$i"
  done
} > "$work/application.yaml"
QUARKUS_CONFIG_LOCATIONS="$work/application.yaml" QUARKUS_HTTP_PORT=$port QUARKUS_LOG_LEVEL=WARN \
  java ${JAVA_OPTS:-} -jar "$jar" > "$work/app.log" 2>&1 &
pid=$!
for _ in $(seq 1 60); do curl -sf "localhost:$port/q/health/ready" >/dev/null && break; sleep 0.5; done
echo "switchguard /swap against the sandbox ($(nproc) cores, $(java -version 2>&1 | head -1))"
# HTTP=1.1 gives each caller its own connection; the default (2, h2c) multiplexes all 16 over one.
# The application's CPU time over the run (its simulator included): what bounds 16 callers on 2 cores, and a
# figure that a busy machine disturbs far less than latency.
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
before=$(cpu)
java bench/SwapBench.java "http://localhost:$port" "$key" "${SEQUENTIAL:-1000}" 16 "${PER_CALLER:-100}" "${HTTP:-2}"
swaps=$((200 + ${SEQUENTIAL:-1000} + 16 * ${PER_CALLER:-100}))
awk -v t=$(( $(cpu) - before )) -v hz="$(getconf CLK_TCK)" -v n=$swaps \
  'BEGIN { printf "  app cpu: %.2f ms per swap (%d swaps, warm-up included)\n", t * 1000 / hz / n, n }'
