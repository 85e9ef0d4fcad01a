#!/bin/bash
# Startup of the FaaS bundle, as FunctionGraph would start it: time from exec of its `bootstrap` to the first
# successful answer of POST /invoke (one check cycle, what the timer does on a cold instance), and the RSS then.
# Variants: (a) JDK 17 fast-jar, (b) JDK 17 + AppCDS, (c) JDK 25 + AOT cache. Archives come from the same training
# run the container image uses (infra/container/train.sh), made by the JVM that then uses them.
#
#   ./mvnw -B package -DskipTests && bench/startup.sh [runs]      (default 5 runs per variant; prints a table)
# Sandbox mode (no credentials): the cloud is the in-process simulator, the journal H2 in memory.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
JDK17=${JDK17:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
ZIP=target/switchguard-functiongraph.zip
PORT=${BENCH_PORT:-18000}
[ -f "$ZIP" ] || { echo "no $ZIP: run ./mvnw -B package -DskipTests first" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# As the timer function runs: event mode opens /invoke without a key (defaults are off since issue 17.2).
export SWITCHGUARD_FAAS_EVENT_MODE=true SWITCHGUARD_FAAS_PORT=$PORT SWITCHGUARD_STORE_URL="jdbc:h2:mem:bench" QUARKUS_LOG_CONSOLE_JSON_ENABLED=false
export TMPDIR=$WORK
EVENT='{"version":"v1.0","time":"2026-11-23T08:30:00+08:00","trigger_type":"TIMER","trigger_name":"bench","user_event":""}'

# unpack <name>: a fresh copy of the bundle, as the platform would unzip it
unpack() { rm -rf "${WORK:?}/$1"; mkdir -p "$WORK/$1"; unzip -q "$ZIP" -d "$WORK/$1"; }

# one <dir> <java>: prints "<ms to first /invoke answer> <RSS MB> <Quarkus 'started in' ms>"
# Polls every 50 ms: a tighter curl loop steals measurable CPU from the JVM on 2 cores.
one() {
  local start pid ms rss boot
  start=$(date +%s%N)
  SWITCHGUARD_JAVA="$2/bin/java" "$1/bootstrap" > "$WORK/run.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' -d "$EVENT" "http://127.0.0.1:$PORT/invoke"; do
    kill -0 "$pid" 2>/dev/null || { cat "$WORK/run.log" >&2; exit 1; }
    sleep 0.05
  done
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  rss=$(awk '/VmRSS/ {printf "%d", $2/1024}' "/proc/$pid/status")
  boot=$(sed -n 's/.* started in \([0-9.]*\)s.*/\1/p' "$WORK/run.log" | awk '{printf "%d", $1 * 1000}')
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  echo "$ms $rss $boot"
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# variant <label> <dir> <java>: RUNS starts, median time and median RSS
variant() {
  local times=() rsses=() boots=() r
  one "$2" "$3" > /dev/null   # warm the page cache once; not counted
  for _ in $(seq 1 "$RUNS"); do
    read -r t m b < <(one "$2" "$3")
    times+=("$t"); rsses+=("$m"); boots+=("$b")
  done
  r=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%d ms (min %d, max %d)", a[int((NR+1)/2)], a[1], a[NR]}')
  printf '| %-20s | %7s ms | %-28s | %4s MB |\n' "$1" "$(median "${boots[@]}")" "$r" "$(median "${rsses[@]}")"
}

unpack jdk17
unpack jdk17cds; SWITCHGUARD_JAVA="$JDK17/bin/java" infra/container/train.sh cds "$WORK/jdk17cds" > /dev/null
unpack jdk25aot; SWITCHGUARD_JAVA="$JDK25/bin/java" infra/container/train.sh aot "$WORK/jdk25aot" > /dev/null

echo "bootstrap exec -> first POST /invoke answered (median of $RUNS; $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg))"
echo "| variant              | Quarkus up | exec -> first /invoke answered | RSS     |"
echo "|----------------------|------------|--------------------------------|---------|"
variant "JDK 17 fast-jar" "$WORK/jdk17" "$JDK17"
variant "JDK 17 + AppCDS" "$WORK/jdk17cds" "$JDK17"
variant "JDK 25 + AOT cache" "$WORK/jdk25aot" "$JDK25"
echo
echo "archives: app-cds.jsa $(du -m "$WORK/jdk17cds/quarkus-app/app-cds.jsa" | cut -f1) MB," \
  "app.aot $(du -m "$WORK/jdk25aot/quarkus-app/app.aot" | cut -f1) MB; bundle zip $(du -m "$ZIP" | cut -f1) MB"
