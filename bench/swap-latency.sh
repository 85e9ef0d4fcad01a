#!/usr/bin/env bash
# Manual /swap latency against the sandbox (issue: p99 overhead under 20 ms).
# Starts the packaged app with 16 sandbox dcs targets, runs bench/SwapBench.java, prints the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
# JAR=path/to/quarkus-run.jar measures another build (e.g. the one before a change) with the same script.
# WARMUP=<swaps> before the measured calls (default 200, as the README's first row; a JIT on 2 cores is still
# compiling then: WARMUP=5000 measures the warmed process). THREADS=1 also prints the CPU by thread.
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
export QUARKUS_CONFIG_LOCATIONS="$work/application.yaml" QUARKUS_LOG_LEVEL=WARN
if [ "${LAUNCH:-jar}" = image ]; then
  # LAUNCH=image: as the container image (Kubernetes, Knative, FunctionGraph) starts it, through
  # infra/functiongraph/bootstrap with its JVM flags and the image's 256 MB heap; JAVA_OPTS come after them.
  ln -s "$(cd "$(dirname "$jar")" && pwd)" "$work/quarkus-app"
  cp infra/functiongraph/bootstrap "$work/bootstrap"
  SWITCHGUARD_XMX=${SWITCHGUARD_XMX:-256m} SWITCHGUARD_FAAS_PORT=$port TMPDIR=$work \
    SWITCHGUARD_STORE_URL="jdbc:h2:file:$work/db" SWITCHGUARD_JAVA_OPTS="${JAVA_OPTS:-}" \
    "$work/bootstrap" > "$work/app.log" 2>&1 &
else
  # The default, as the README's first command: `java $JAVA_OPTS -jar`, the JVM's defaults otherwise (G1, C2,
  # a quarter of the RAM as the heap limit).
  QUARKUS_HTTP_PORT=$port java ${JAVA_OPTS:-} -jar "$jar" > "$work/app.log" 2>&1 &
fi
pid=$!
for _ in $(seq 1 60); do curl -sf "localhost:$port/q/health/ready" >/dev/null && break; sleep 0.5; done
echo "switchguard /swap against the sandbox ($(nproc) cores, $(java -version 2>&1 | head -1), launched as ${LAUNCH:-jar}: $(tr '\0' ' ' < /proc/$pid/cmdline | grep -o -- ' -X[^ ]*' | tr -d '\n'))"
# HTTP=1.1 gives each caller its own connection; the default (2, h2c) multiplexes all 16 over one.
# The application's CPU time over the run (its simulator included): what bounds 16 callers on 2 cores, and a
# figure that a busy machine disturbs far less than latency.
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
# The JIT compiler threads' share: on 2 cores it varies by +-10 % of the total from run to run, so the figure
# without it is the one to compare builds by.
jit() { for t in /proc/$pid/task/*; do if grep -q '^C[12] CompilerThre' "$t/comm" 2>/dev/null; then
  awk '{print $14 + $15}' "$t/stat"; fi; done | awk '{s += $1} END {print s + 0}'; }
written() { awk '/^write_bytes/ {print $2}' "/proc/$pid/io"; }
before=$(cpu)
jit0=$(jit)
wrote=$(written)
threads() { for t in /proc/$pid/task/*; do echo "${t##*/} $(awk '{print $14+$15}' $t/stat) $(tr ' ' _ < $t/comm)"; done | sort; }
[ -z "${THREADS:-}" ] || threads > "$work/t0"
# The client is a JVM on the same cores: its CPU (javac of the source included) is printed below the app's.
TIMEFORMAT='%U %S'
{ time java bench/SwapBench.java "http://localhost:$port" "$key" "${SEQUENTIAL:-1000}" 16 "${PER_CALLER:-100}" \
    "${HTTP:-2}" "${WARMUP:-200}" 2>&3; } 3>&2 2> "$work/client-time"
[ -z "${THREADS:-}" ] || { threads > "$work/t1"; join -a2 -o 0,1.2,2.2,2.3 -e 0 "$work/t0" "$work/t1" | awk -v hz="$(getconf CLK_TCK)" \
  '{s[$4]+=$3-$2} END {for (k in s) if (s[k]>0) printf "  %6.2f s %s\n", s[k]/hz, k}' | sort -rn | head -15; }
swaps=$((${WARMUP:-200} + ${SEQUENTIAL:-1000} + 16 * ${PER_CALLER:-100}))
awk -v t=$(( $(cpu) - before )) -v j=$(( $(jit) - jit0 )) -v hz="$(getconf CLK_TCK)" -v n=$swaps \
  'BEGIN { printf "  app cpu: %.2f ms per swap (%d swaps, warm-up included), %.2f ms without the JIT compiler threads\n",
    t * 1000 / hz / n, n, (t - j) * 1000 / hz / n }'
awk -v n=$swaps '{ printf "  bench client cpu: %.2f ms per swap (its own JVM, sharing the cores)\n", ($1 + $2) * 1000 / n }' "$work/client-time"
# What the store wrote to disk (the H2 file's chunks): a figure no other process on the machine disturbs.
awk -v b=$(( $(written) - wrote )) -v n=$swaps 'BEGIN { printf "  disk written: %.1f KB per swap\n", b / 1024 / n }'
