#!/usr/bin/env bash
# Leader takeover time: two replicas share one H2 store (mixed mode, AUTO_SERVER), the lease holder is
# killed with SIGKILL and the survivor's /status is polled every ~50 ms until it reports instance.leader.
# Takeover = that moment - kill time. The killed replica is restarted (same port) before the next trial.
# Expect roughly lease TTL + check interval at worst (TTL=5 s here, demo targets checked every 2 s).
# Note: with AUTO_SERVER the first process hosts the H2 TCP server; killing it stalls the survivor's store calls
# (and its /status) until it reconnects, so polls right after a kill can hit the 1 s curl timeout.
# Env: TRIALS (10), TTL seconds (5), PORT_A (18081), PORT_B (18082).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
command -v jq >/dev/null || { echo "needs jq" >&2; exit 1; }

trials=${TRIALS:-10}
ttl=${TTL:-5}
interval=2 # sandbox demo targets: checked every 2 s
declare -A pid port
port[a]=${PORT_A:-18081}
port[b]=${PORT_B:-18082}
key=bench-key-$RANDOM$RANDOM
work=$(mktemp -d)

cleanup() {
  set +e
  for n in a b; do [ -n "${pid[$n]:-}" ] && kill "${pid[$n]}" 2>/dev/null; done
  for _ in $(seq 1 100); do
    alive=0
    for n in a b; do [ -n "${pid[$n]:-}" ] && kill -0 "${pid[$n]}" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  for n in a b; do [ -n "${pid[$n]:-}" ] && kill -9 "${pid[$n]}" 2>/dev/null; done
  for n in a b; do [ -n "${pid[$n]:-}" ] && wait "${pid[$n]}" 2>/dev/null; done
  if [ -n "${KEEP_LOGS:-}" ]; then echo "logs kept in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cat > "$work/application.yaml" <<EOF
switchguard:
  cloud: {provider: sandbox}
  api: {keys: $key}
  store: {url: 'jdbc:h2:file:$work/db;AUTO_SERVER=TRUE', lease-ttl: ${ttl}s}
EOF

start() { # $1 = a|b
  QUARKUS_CONFIG_LOCATIONS="$work/application.yaml" QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=${port[$1]} \
    QUARKUS_LOG_LEVEL=WARN java -Dh2.bindAddress=127.0.0.1 -jar target/quarkus-app/quarkus-run.jar >> "$work/$1.log" 2>&1 &
  pid[$1]=$!
}
status() { curl -sf -m 1 -H "Authorization: Bearer $key" "http://127.0.0.1:${port[$1]}/status"; }
ready() { curl -sf -m 2 -o /dev/null "http://127.0.0.1:${port[$1]}/q/health/ready"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# Both ready and exactly one leader; sets holder (a|b). Bounded to 120 s.
settle() {
  local deadline=$(( $(now_ms) + 120000 )) la lb
  while [ "$(now_ms)" -lt $deadline ]; do
    for n in a b; do kill -0 "${pid[$n]}" 2>/dev/null || { echo "instance $n exited; log:" >&2; tail -20 "$work/$n.log" >&2; exit 1; }; done
    if ready a && ready b; then
      la=$(status a | jq -r .instance.leader) || la=
      lb=$(status b | jq -r .instance.leader) || lb=
      if [ "$la" = true ] && [ "$lb" = false ]; then holder=a; return 0; fi
      if [ "$la" = false ] && [ "$lb" = true ]; then holder=b; return 0; fi
    fi
    sleep 0.2
  done
  echo "no settled pair (both ready, exactly one leader) within 120 s" >&2
  exit 1
}

echo "switchguard leader takeover: lease TTL ${ttl}s, check interval ${interval}s, $trials trials ($(nproc) cores, $(java -version 2>&1 | head -1))"
start a
start b
settle

results=()
epoch_ok=0
for t in $(seq 1 "$trials"); do
  settle
  h=$holder
  s=$([ "$h" = a ] && echo b || echo a)
  before=$(status "$h")
  epoch0=$(jq -r .lease.epoch <<<"$before")
  kill -9 "${pid[$h]}"
  t0=$(now_ms)
  wait "${pid[$h]}" 2>/dev/null || true
  pid[$h]=
  took= polls=0 slowest=0 epoch1=? newholder=?
  deadline=$(( t0 + 60000 ))
  while [ "$(now_ms)" -lt $deadline ]; do
    polls=$((polls + 1))
    p0=$(now_ms)
    body=$(status "$s") || body='{}'
    p1=$(now_ms)
    [ $((p1 - p0)) -gt "$slowest" ] && slowest=$((p1 - p0))
    if [ "$(jq -r .instance.leader <<<"$body")" = true ]; then
      took=$(( $(now_ms) - t0 ))
      epoch1=$(jq -r .lease.epoch <<<"$body")
      newholder=$(jq -r '.lease.holder == .instance.id' <<<"$body")
      break
    fi
    sleep 0.05
  done
  [ -n "$took" ] || { echo "trial $t: survivor $s not leader within 60 s" >&2; exit 1; }
  inc=no
  [ "$epoch1" != null ] && [ "$epoch0" != null ] && [ "$epoch1" -gt "$epoch0" ] && { inc=yes; epoch_ok=$((epoch_ok + 1)); }
  printf 'trial %2d: killed %s, %s leader after %5d ms (%d polls, slowest %d ms), epoch %s -> %s (increased: %s, lease.holder=survivor: %s)\n' \
    "$t" "$h" "$s" "$took" "$polls" "$slowest" "$epoch0" "$epoch1" "$inc" "$newholder"
  results+=("$took")
  start "$h"
done
settle

printf '%s\n' "${results[@]}" | sort -n | awk -v ttl="$ttl" -v iv="$interval" -v ok="$epoch_ok" '
  { v[NR] = $1; sum += $1 }
  END {
    n = NR; p50 = v[int((n + 1) / 2)]; if (n % 2 == 0) p50 = (v[n / 2] + v[n / 2 + 1]) / 2
    bound = (ttl + iv) * 1000
    printf "takeover over %d trials: min %d ms, p50 %.0f ms, mean %.0f ms, max %d ms\n", n, v[1], p50, sum / n, v[n]
    printf "vs TTL + interval = %ds + %ds = %d ms: p50 %.0f%%, max %.0f%% (%s)\n", ttl, iv, bound, 100 * p50 / bound, 100 * v[n] / bound, v[n] <= bound ? "within" : "OVER"
    printf "lease epoch increased on takeover: %d/%d trials\n", ok, n
  }'
