#!/bin/bash
# Training run for the class-data archive, inside the image build, with the image's own JVM and the exact
# runtime flags (an archive only serves the JVM build and class path that made it). Starts the app through
# its bootstrap in sandbox mode (no credentials: in-process cloud simulator, nothing real is called), drives
# /q/health/ready, /init, /invoke and /swap, then stops it; the JVM writes the archive as it exits.
#   train.sh aot [root]  -> root/quarkus-app/app.aot      (JDK 24+: -XX:AOTCacheOutput)
#   train.sh cds [root]  -> root/quarkus-app/app-cds.jsa  (JDK 13+: dynamic AppCDS, -XX:ArchiveClassesAtExit)
# root defaults to /app (the image); bench/startup.sh trains unpacked bundles elsewhere the same way.
set -euo pipefail
MODE=${1:-aot}
ROOT=${2:-/app}
APP=$ROOT/quarkus-app
PORT=${SWITCHGUARD_FAAS_PORT:-8000}
case "$MODE" in
  aot) FLAG="-XX:AOTCacheOutput=$APP/app.aot" ;;
  cds) FLAG="-XX:ArchiveClassesAtExit=$APP/app-cds.jsa" ;;
  *) echo "usage: train.sh aot|cds" >&2; exit 2 ;;
esac

rm -f "$APP/app.aot" "$APP/app-cds.jsa"
export SWITCHGUARD_JAVA_OPTS="$FLAG" SWITCHGUARD_API_KEYS=training-only SWITCHGUARD_FAAS_PORT=$PORT
export SWITCHGUARD_STORE_URL="jdbc:h2:mem:training" QUARKUS_LOG_CONSOLE_JSON_ENABLED=false
LOG=${TMPDIR:-/tmp}/training.log
"$ROOT/bootstrap" > "$LOG" 2>&1 &
PID=$!

# bash's /dev/tcp: the JRE image has no curl. Prints the status line of one request.
request() { # method path body [header]
  exec 3<>/dev/tcp/127.0.0.1/$PORT
  printf '%s %s HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n%sContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
    "$1" "$2" "${4:+$4$'\r\n'}" "${#3}" "$3" >&3
  head -n1 <&3
  exec 3<&-
}

for _ in $(seq 1 300); do
  if (request GET /q/health/ready "" 2>/dev/null | grep -q " 200"); then break; fi
  sleep 0.2
done
request POST /init '{}'
request POST /invoke '{"version":"v1.0","trigger_type":"TIMER","trigger_name":"training","user_event":""}'
request POST /swap '{"target":"demo-cache","reason":"training run"}' "Authorization: Bearer training-only"
request GET /actions "" "Authorization: Bearer training-only"
kill -TERM "$PID"
wait "$PID" || true
tail -n 3 "$LOG"
test -s "$APP/app.aot" || test -s "$APP/app-cds.jsa"
