#!/bin/bash
# Training run for the class-data archive, inside the image build, with the image's own JVM and the exact
# runtime flags (an archive only serves the JVM build, class path and heap settings that made it: the image pins
# SWITCHGUARD_XMX, which the bootstrap passes as -Xmx both here and at runtime). Starts the app through its
# bootstrap in sandbox mode (provider sandbox: in-process cloud simulator, nothing real is called), drives
# /q/health/ready, /init, /invoke, /check and /swap, checking every answer, then stops it; the JVM writes the
# archive as it exits. Any unexpected answer fails the build: an archive trained on errors is not the real path.
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
KEY=training-only
export SWITCHGUARD_JAVA_OPTS="$FLAG" SWITCHGUARD_API_KEYS=$KEY SWITCHGUARD_FAAS_PORT=$PORT
export SWITCHGUARD_CLOUD_PROVIDER=sandbox SWITCHGUARD_STORE_URL="jdbc:h2:mem:training"
export QUARKUS_LOG_CONSOLE_JSON_ENABLED=false
LOG=${TMPDIR:-/tmp}/training.log
"$ROOT/bootstrap" > "$LOG" 2>&1 &
PID=$!
trap 'kill -TERM "$PID" 2>/dev/null || true' EXIT

# bash's /dev/tcp: the JRE image has no curl. Prints the status code of one request.
status() { # method path body [header]
  exec 3<>/dev/tcp/127.0.0.1/$PORT
  printf '%s %s HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n%sContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
    "$1" "$2" "${4:+$4$'\r\n'}" "${#3}" "$3" >&3
  local line
  IFS=' ' read -r _ line _ <&3 || true
  exec 3<&-
  printf '%s' "$line"
}

# expect code method path body [header]
expect() {
  local want=$1 got
  shift
  got=$(status "$@")
  if [ "$got" != "$want" ]; then
    echo "training: $1 $2 answered '${got}', expected $want" >&2
    tail -n 30 "$LOG" >&2
    exit 1
  fi
}

ready=""
for _ in $(seq 1 300); do
  if [ "$(status GET /q/health/ready "" 2>/dev/null)" = "200" ]; then ready=yes; break; fi
  if ! kill -0 "$PID" 2>/dev/null; then break; fi
  sleep 0.2
done
if [ -z "$ready" ]; then
  echo "training: the app did not become ready" >&2
  tail -n 30 "$LOG" >&2
  exit 1
fi
AUTH="Authorization: Bearer $KEY"
expect 200 POST /init '{}' "$AUTH"
expect 200 POST /invoke '{"version":"v1.0","trigger_type":"TIMER","trigger_name":"training","user_event":""}' "$AUTH"
expect 200 POST /check '{}' "$AUTH"
expect 200 POST /swap '{"target":"demo-cache","reason":"training run"}' "$AUTH"
expect 200 GET /actions "" "$AUTH"
expect 401 GET /status ""
trap - EXIT
kill -TERM "$PID"
wait "$PID" || true
tail -n 3 "$LOG"
test -s "$APP/app.aot" || test -s "$APP/app-cds.jsa"
