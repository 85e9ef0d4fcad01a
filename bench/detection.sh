#!/usr/bin/env bash
# Failure detection latency, switchguard vs Redis Sentinel, against real Redis 6.2 (the redis-server binary shipped
# in the embedded-redis jar of the local Maven repository). switchguard runs packaged, sandbox cloud, one dcs target
# with auto: true probing a real master/replica pair (interval 1 s, timeout 500 ms, threshold 3, cooldown 2 s).
# Each trial: kill -9 the master, time until the swap POST reaches the simulator; restart the master on the same
# port, wait for recovery. Sentinel: same binary, down-after 3000 ms, quorum 1, kill -> +try-failover, a fresh
# master/replica/sentinel per trial. Prints per-trial lines and a table.
# Env: FAST (default true: probe.fast, one kept connection whose loss counts at once; false: a fresh connection
# per probe), INTERVAL_MS (default 1000; Sentinel's down-after is 3 x the interval). Issue #13 part 5:
# FAST=true INTERVAL_MS=250 bench/detection.sh 20.
#
#   ./mvnw -B -q -o package -DskipTests && bench/detection.sh [trials]      (default 20)
set -euo pipefail
cd "$(dirname "$0")/.."
TRIALS=${1:-20}
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q -o package -DskipTests
JAR=$HOME/.m2/repository/com/github/codemonstur/embedded-redis/1.4.3/embedded-redis-1.4.3.jar
[ -f "$JAR" ] || { echo "no $JAR (embedded-redis 1.4.3, for its redis-server binary)" >&2; exit 1; }
work=$(mktemp -d)
cleanup() {
  set +e
  [ -n "${bench:-}" ] && kill "$bench" 2>/dev/null
  [ -n "${app:-}" ] && kill "$app" 2>/dev/null
  if [ -f "$work/pids" ]; then while read -r p; do kill -9 "$p" 2>/dev/null; done < "$work/pids"; fi
  [ -n "${app:-}" ] && wait "$app" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

unzip -p "$JAR" redis-server-6.2.6-v5-linux-amd64 > "$work/redis-server"
chmod +x "$work/redis-server"
read -r appPort simPort masterPort replicaPort < <(java bench/DetectionBench.java ports 4)
FAST=${FAST:-true}
INTERVAL_MS=${INTERVAL_MS:-1000}
TIMEOUT_MS=$(( INTERVAL_MS * 4 / 5 < 500 ? INTERVAL_MS * 4 / 5 : 500 ))
FLOOR_MS=$(( 3 * INTERVAL_MS ))
key=bench-key-$RANDOM$RANDOM
target=bench-cache
cat > "$work/application.yaml" <<YAML
switchguard:
  cloud: {provider: sandbox}
  api: {keys: $key}
  store: {url: 'jdbc:h2:file:$work/db'}
  sandbox: {port: $simPort}
  # Each trial is an automatic swap: lift the fleet-wide budget (3 an hour) that would brake the fourth.
  budget: {max-automatic: 1000}
  # Each trial kills and restarts the pair's nodes: a preflight landing on a restart would hold the next trial
  # back by its retry period. Preflight adds nothing to detection (it is read from memory); its tests cover it.
  preflight: {enabled: false}
  targets:
    $target:
      kind: dcs
      region: sandbox-1
      project-id: 0000000000000000000000000000benc
      instance-id: bench-detection-01
      auto: true
      cooldown: 2s
      probe: {redis: '127.0.0.1:$masterPort', standby: '127.0.0.1:$replicaPort', fast: $FAST, interval: ${INTERVAL_MS}ms, timeout: ${TIMEOUT_MS}ms, failure-threshold: 3}
YAML
QUARKUS_CONFIG_LOCATIONS="$work/application.yaml" QUARKUS_HTTP_PORT=$appPort QUARKUS_HTTP_HOST=127.0.0.1 \
  QUARKUS_LOG_LEVEL=WARN java -jar target/quarkus-app/quarkus-run.jar > "$work/app.log" 2>&1 &
app=$!
for _ in $(seq 1 120); do curl -sf "127.0.0.1:$appPort/q/health/live" >/dev/null && break; sleep 0.5; done
curl -sf "127.0.0.1:$appPort/q/health/live" >/dev/null || { echo "switchguard did not start:" >&2; tail -30 "$work/app.log" >&2; exit 1; }

echo "switchguard probe: fast $FAST, interval ${INTERVAL_MS} ms, timeout ${TIMEOUT_MS} ms, threshold 3; Sentinel down-after ${FLOOR_MS} ms"
echo "detection latency: switchguard vs Sentinel, $TRIALS trials each ($(nproc) CPUs, $("$work/redis-server" --version | cut -d' ' -f3), $(java -version 2>&1 | head -1))"
java bench/DetectionBench.java run "$work/redis-server" "$work" "http://127.0.0.1:$appPort" "$key" "$target" \
  "http://127.0.0.1:$simPort" "$masterPort" "$replicaPort" "$TRIALS" "$FLOOR_MS" &
bench=$!
set +e
wait "$bench"; rc=$?
set -e
bench=
[ "$rc" = 0 ] || { echo "--- app.log tail" >&2; tail -20 "$work/app.log" >&2; }
exit "$rc"
