#!/usr/bin/env bash
# Wrong-action trials (see ChaosBench.java): the packaged app, sandbox cloud, real Redis 6.2 pairs (the redis-server
# binary shipped in the embedded-redis jar of the local Maven repository), probes at 1 s, timeout 500 ms,
# threshold 3. Two healthy alert-only control targets keep the isolation guard out of the way. One fresh app
# process per scenario. Exit status 1 when any trial saw a wrong action.
#
#   ./mvnw -B -q -o package -DskipTests && bench/chaos.sh [flap-rounds] [manual-rounds]   (default 10 and 5:
#   10 flapping targets x 10 = 100 flapping trials, 4 manual targets x 5 = 20 manual-swap-during-breach trials,
#   plus 20 probe-pool-saturation trials: a real-cloud configuration against the bench's own slow fake DCS)
# Fast mode (issue #13 part 5): FAST=true INTERVAL_MS=250 bench/chaos.sh 10 0 runs the Redis targets with
# probe.fast: true at 250 ms x 3, and each flap is a restart blip (kill -9, restarted at once) with the master up
# for four intervals between: never a breach. Env: FAST (false), INTERVAL_MS (1000), FLAP_DOWN_MS, FLAP_UP_MS,
# LOG_LEVEL (the app's, WARN), LOGS=<dir> (keep the app logs).
set -euo pipefail
cd "$(dirname "$0")/.."
FLAP_ROUNDS=${1:-10}
MANUAL_ROUNDS=${2:-5}
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q -o package -DskipTests
JAR=$HOME/.m2/repository/com/github/codemonstur/embedded-redis/1.4.3/embedded-redis-1.4.3.jar
[ -f "$JAR" ] || { echo "no $JAR (embedded-redis 1.4.3, for its redis-server binary)" >&2; exit 1; }
work=$(mktemp -d)
cleanup() {
  set +e
  # LOGS=<dir>: keep the app logs of each scenario there.
  [ -n "${LOGS:-}" ] && mkdir -p "$LOGS" && cp "$work"/app-*.log "$LOGS"/ 2>/dev/null
  [ -n "${app:-}" ] && kill "$app" 2>/dev/null
  if [ -f "$work/pids" ]; then while read -r p; do kill -9 "$p" 2>/dev/null; done < "$work/pids"; fi
  [ -n "${app:-}" ] && wait "$app" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
unzip -p "$JAR" redis-server-6.2.6-v5-linux-amd64 > "$work/redis-server"
chmod +x "$work/redis-server"
javac -d "$work/classes" bench/DetectionBench.java bench/ChaosBench.java
FAST=${FAST:-false}
INTERVAL_MS=${INTERVAL_MS:-1000}
if [ "$FAST" = true ]; then
  # Restart blips: killed and restarted at once (down for its restart only), up four intervals.
  FLAP_DOWN_MS=${FLAP_DOWN_MS:-0}
  FLAP_UP_MS=${FLAP_UP_MS:-$((4 * INTERVAL_MS))}
else
  FLAP_DOWN_MS=${FLAP_DOWN_MS:-1000}
  FLAP_UP_MS=${FLAP_UP_MS:-2000}
fi
# The probe timeout: four fifths of the interval, at most 500 ms.
TIMEOUT_MS=$(( INTERVAL_MS * 4 / 5 < 500 ? INTERVAL_MS * 4 / 5 : 500 ))

# name port: start the packaged app on $work/<name>.yaml (log $work/app-<name>.log, pid in $app) and wait until it
# is live; exit when it never is.
start_app() {
  local name=$1 port=$2
  QUARKUS_CONFIG_LOCATIONS="$work/$name.yaml" QUARKUS_HTTP_PORT=$port QUARKUS_HTTP_HOST=127.0.0.1 \
    QUARKUS_LOG_LEVEL=${LOG_LEVEL:-WARN} java -jar target/quarkus-app/quarkus-run.jar > "$work/app-$name.log" 2>&1 &
  app=$!
  for _ in $(seq 1 120); do curl -sf "127.0.0.1:$port/q/health/live" >/dev/null && break; sleep 0.5; done
  curl -sf "127.0.0.1:$port/q/health/live" >/dev/null || { echo "switchguard did not start:" >&2; tail -30 "$work/app-$name.log" >&2; exit 1; }
}

# scenario role count cooldown rounds
run() {
  local scenario=$1 count=$2 cooldown=$3 rounds=$4
  local n=$((count + 2)) ports i name role
  read -r -a ports < <(java -cp "$work/classes" DetectionBench ports $((2 * n + 2)))
  local appPort=${ports[0]} simPort=${ports[1]} key=bench-key-$RANDOM$RANDOM
  : > "$work/targets-$scenario"
  {
    echo "switchguard:"
    echo "  cloud: {provider: sandbox}"
    echo "  api: {keys: $key}"
    echo "  store: {url: 'jdbc:h2:file:$work/db-$scenario'}"
    echo "  sandbox: {port: $simPort}"
    echo "  targets:"
    for i in $(seq 0 $((n - 1))); do
      if [ "$i" -lt "$count" ]; then role=$scenario; else role=control; fi
      name=$role-$i
      local m=${ports[$((2 + 2 * i))]} r=${ports[$((3 + 2 * i))]}
      echo "$name chaos-$name $m $r $role" >> "$work/targets-$scenario"
      echo "    $name:"
      echo "      kind: dcs"
      echo "      region: sandbox-1"
      echo "      project-id: 0000000000000000000000000000chao"
      echo "      instance-id: chaos-$name"
      echo "      auto: $([ "$role" = control ] && echo false || echo true)"
      echo "      cooldown: $cooldown"
      echo "      probe: {redis: '127.0.0.1:$m', standby: '127.0.0.1:$r', fast: $FAST, interval: ${INTERVAL_MS}ms, timeout: ${TIMEOUT_MS}ms, failure-threshold: 3}"
    done
  } > "$work/$scenario.yaml"
  start_app "$scenario" "$appPort"
  set +e
  java -Dflap.down="$FLAP_DOWN_MS" -Dflap.up="$FLAP_UP_MS" -cp "$work/classes" ChaosBench "$scenario" "$work/redis-server" "$work" "http://127.0.0.1:$appPort" "$key" \
    "http://127.0.0.1:$simPort" "$rounds" "$work/targets-$scenario"
  local rc=$?
  set -e
  [ "$rc" = 0 ] || { echo "--- app-$scenario.log tail" >&2; tail -20 "$work/app-$scenario.log" >&2; }
  kill "$app"; wait "$app" 2>/dev/null || true; app=
  if [ -f "$work/pids" ]; then while read -r p; do kill -9 "$p" 2>/dev/null; done < "$work/pids"; : > "$work/pids"; fi
  return "$rc"
}

# Twenty auto targets on a closed port, a DCS status API answering after 800 ms.
saturation() {
  local ports i key=bench-key-$RANDOM$RANDOM names=()
  read -r -a ports < <(java -cp "$work/classes" DetectionBench ports 3)
  local appPort=${ports[0]} cloudPort=${ports[1]} closed=${ports[2]}
  {
    echo "switchguard:"
    echo "  cloud: {provider: huaweicloud, ak: CHAOSBENCHACCESSKEY, sk: chaos-bench-secret, endpoints: {dcs: 'http://127.0.0.1:$cloudPort'}}"
    echo "  api: {keys: $key}"
    echo "  store: {url: 'jdbc:h2:file:$work/db-saturation'}"
    echo "  targets:"
    for i in $(seq 0 19); do
      names+=("sat-$i")
      echo "    sat-$i: {kind: dcs, region: sandbox-1, project-id: 0000000000000000000000000000chao, instance-id: chaos-sat-$i, auto: true, cooldown: 1m, probe: {tcp: '127.0.0.1:$closed', interval: 1s, timeout: 500ms, failure-threshold: 2}}"
    done
  } > "$work/saturation.yaml"
  start_app "saturation" "$appPort"
  set +e
  java -cp "$work/classes" ChaosBench saturation "$cloudPort" "http://127.0.0.1:$appPort" "$key" "${names[@]}"
  local rc=$?
  set -e
  kill "$app"; wait "$app" 2>/dev/null || true; app=
  return "$rc"
}

echo "chaos trials: fast $FAST, interval ${INTERVAL_MS} ms, timeout ${TIMEOUT_MS} ms, threshold 3; flaps down ${FLAP_DOWN_MS} ms, up ${FLAP_UP_MS} ms"
echo "chaos trials ($(nproc) CPUs, $("$work/redis-server" --version | cut -d' ' -f3), $(java -version 2>&1 | head -1))"
status=0
run flap 10 2s "$FLAP_ROUNDS" || status=1
[ "$MANUAL_ROUNDS" = 0 ] || run manual 4 20s "$MANUAL_ROUNDS" || status=1
[ "$FAST" = true ] || saturation || status=1
exit "$status"
