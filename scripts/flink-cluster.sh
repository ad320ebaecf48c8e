#!/usr/bin/env bash
# A Flink session cluster without Docker, for sql --jobmanager: one JobManager and N TaskManagers,
# each a process of its own started from Flink's own entrypoints (StandaloneSessionClusterEntrypoint,
# TaskManagerRunner), with the memory settings Flink's own bin/ scripts compute (BashJavaUtils), on
# the class path that `mvn -B package` copies to target/flink-cluster/lib: the Flink of the sql
# command, from Maven Central. Everything binds to 127.0.0.1. `start` returns once the REST API
# reports every TaskManager registered; the processes run on in the background until `stop`.
#
#   scripts/flink-cluster.sh start [--taskmanagers N] [--port P] [--rpc-port R] [--slots S] [--dir DIR]
#   scripts/flink-cluster.sh stop|status [--dir DIR]
#   --taskmanagers  how many TaskManagers (default 2)
#   --port          the REST API and web dashboard: sql --jobmanager 127.0.0.1:P (default 8082)
#   --rpc-port      where the TaskManagers reach the JobManager (default 6123, Flink's)
#   --slots         task slots per TaskManager (default 2)
#   --dir           its config, logs, pids and checkpoints (default kafka-demo-flink)
#   Java: $JAVA_HOME/bin/java, else java on the PATH (17 or 21, as Flink 2.2 supports).
set -euo pipefail

COMMAND="${1:-}"
[ $# -gt 0 ] && shift
TASKMANAGERS=2
PORT=8082
RPC_PORT=6123
SLOTS=2
DIR=kafka-demo-flink
DIR_FLAG=""
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) COMMAND=help; shift ;;
    --taskmanagers) TASKMANAGERS="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --rpc-port) RPC_PORT="$2"; shift 2 ;;
    --slots) SLOTS="$2"; shift 2 ;;
    --dir) DIR="$2"; DIR_FLAG=" --dir $2"; shift 2 ;;
    *) echo "flink-cluster.sh: unknown option $1 (see -h)" >&2; exit 2 ;;
  esac
done
case "$COMMAND" in
  start|stop|status) ;;
  help|-h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "flink-cluster.sh: say start, stop or status (see -h)" >&2; exit 2 ;;
esac
for number in "$TASKMANAGERS" "$PORT" "$RPC_PORT" "$SLOTS"; do
  [[ "$number" =~ ^[1-9][0-9]*$ ]] || { echo "flink-cluster.sh: $number is not a positive number" >&2; exit 2; }
done

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=$(realpath -m "$DIR")
LIB="$ROOT/target/flink-cluster/lib"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
pids() { ls "$DIR"/*.pid 2>/dev/null || true; }

stop_all() {
  local pidfile waited=0
  for pidfile in $(pids); do alive "$pidfile" && kill "$(cat "$pidfile")" 2>/dev/null || true; done
  # Flink's processes shut down on SIGTERM; after 30 s they are killed.
  while [ $waited -lt 300 ]; do
    local running=0
    for pidfile in $(pids); do alive "$pidfile" && running=1; done
    [ $running = 0 ] && break
    sleep 0.1
    waited=$((waited + 1))
  done
  for pidfile in $(pids); do
    if alive "$pidfile"; then
      echo "flink-cluster.sh: $(basename "$pidfile" .pid) did not stop in 30 s: killed" >&2
      kill -9 "$(cat "$pidfile")" 2>/dev/null || true
    fi
    rm -f "$pidfile"
  done
}

if [ "$COMMAND" = stop ]; then
  [ -n "$(pids)" ] || { echo "flink-cluster.sh: no cluster runs from $DIR" >&2; exit 1; }
  stop_all
  echo "Stopped the Flink cluster in $DIR" >&2
  exit 0
fi

if [ "$COMMAND" = status ]; then
  [ -f "$DIR/conf/config.yaml" ] || { echo "flink-cluster.sh: no cluster in $DIR" >&2; exit 1; }
  PORT=$(awk '/^rest.port:/ { print $2 }' "$DIR/conf/config.yaml")
  for pidfile in $(pids); do
    state=down; alive "$pidfile" && state="up (pid $(cat "$pidfile"))"
    echo "$(basename "$pidfile" .pid): $state"
  done
  curl -sf "http://127.0.0.1:$PORT/overview" || { echo "flink-cluster.sh: the REST API at 127.0.0.1:$PORT does not answer" >&2; exit 1; }
  echo
  exit 0
fi

# start
[ -d "$LIB" ] && ls "$LIB"/flink-runtime-*.jar >/dev/null 2>&1 || {
  echo "flink-cluster.sh: $LIB is missing: build it with mvn -B package (it is built with kafka-demo.jar)" >&2
  exit 3
}
for pidfile in $(pids); do
  if alive "$pidfile"; then
    echo "flink-cluster.sh: a cluster runs from $DIR already ($(basename "$pidfile" .pid), pid $(cat "$pidfile")): stop it first" >&2
    exit 2
  fi
  rm -f "$pidfile"
done
for port in "$PORT" "$RPC_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "flink-cluster.sh: port $port on 127.0.0.1 is in use: choose another with --port or --rpc-port" >&2
    exit 2
  fi
done

mkdir -p "$DIR/conf" "$DIR/log" "$DIR/checkpoints" "$DIR/savepoints"
# The settings are Flink's own (config.yaml, as in a Flink distribution's conf/); the memory sizes
# are a distribution's defaults. Heartbeats every 2 s: a TaskManager that is gone is noticed in
# about 4 s (two missed heartbeats), instead of Flink's default 20 s, and its tasks restarted from
# the last checkpoint on the others.
cat > "$DIR/conf/config.yaml" <<EOF
# Written by scripts/flink-cluster.sh start; rewritten at each start.
jobmanager.rpc.address: 127.0.0.1
jobmanager.rpc.port: $RPC_PORT
jobmanager.bind-host: 127.0.0.1
jobmanager.memory.process.size: 1600m
taskmanager.bind-host: 127.0.0.1
taskmanager.host: 127.0.0.1
taskmanager.memory.process.size: 1728m
taskmanager.numberOfTaskSlots: $SLOTS
parallelism.default: 1
rest.address: 127.0.0.1
rest.bind-address: 127.0.0.1
rest.port: $PORT
cluster.registration.error-delay: 1000
heartbeat.interval: 2000
heartbeat.timeout: 20000
execution.checkpointing.dir: file://$DIR/checkpoints
execution.checkpointing.savepoint-dir: file://$DIR/savepoints
state.backend.type: hashmap
EOF

# Flink's own list (its config.yaml's env.java.opts.all) of what it reaches into on Java 17.
JAVA_OPENS=(
  --add-exports=java.base/sun.net.util=ALL-UNNAMED
  --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
)
CLASSPATH="$LIB/*"

# What Flink's jobmanager.sh and taskmanager.sh do: BashJavaUtils turns the memory settings into
# the JVM's flags (first line) and the derived settings (second line).
resource_params() {
  local output
  output=$("$JAVA" -cp "$CLASSPATH" org.apache.flink.runtime.util.bash.BashJavaUtils "$1" --configDir "$DIR/conf" 2>&1) || {
    echo "flink-cluster.sh: Flink cannot compute the memory settings from $DIR/conf/config.yaml:" >&2
    echo "$output" | tail -5 >&2
    exit 1
  }
  echo "$output" | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p'
}

# Starts a process in its own session (a Ctrl-C in this terminal does not reach it), output to
# its log, pid to its pid file.
launch() {
  local name="$1" jvm="$2" main="$3"
  shift 3
  # shellcheck disable=SC2086 # the JVM flags are words
  setsid "$JAVA" $jvm "${JAVA_OPENS[@]}" -Dlog.file="$DIR/log/$name.log" \
    -Dorg.slf4j.simpleLogger.showDateTime=true \
    -Dorg.slf4j.simpleLogger.dateTimeFormat="yyyy-MM-dd HH:mm:ss,SSS" \
    -cp "$CLASSPATH" "$main" --configDir "$DIR/conf" "$@" \
    > "$DIR/log/$name.log" 2>&1 < /dev/null &
  echo $! > "$DIR/$name.pid"
}

mapfile -t JM < <(resource_params GET_JM_RESOURCE_PARAMS)
mapfile -t TM < <(resource_params GET_TM_RESOURCE_PARAMS)
# shellcheck disable=SC2086 # the derived settings are words: -D key=value ...
launch jobmanager "${JM[0]}" org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint \
  --executionMode cluster ${JM[1]}
for n in $(seq 1 "$TASKMANAGERS"); do
  # shellcheck disable=SC2086
  launch "taskmanager-$n" "${TM[0]}" org.apache.flink.runtime.taskexecutor.TaskManagerRunner \
    ${TM[1]} -D "taskmanager.resource-id=taskmanager-$n"
done

echo "Starting Flink $(ls "$LIB"/flink-runtime-[0-9]*.jar | sed 's/.*flink-runtime-\(.*\)\.jar/\1/'): a JobManager and $TASKMANAGERS TaskManagers, logs in $DIR/log" >&2
waited=0
registered=0
until [ "$registered" = "$TASKMANAGERS" ]; do
  for pidfile in $(pids); do
    if ! alive "$pidfile"; then
      name=$(basename "$pidfile" .pid)
      echo "flink-cluster.sh: the $name stopped while starting; the end of $DIR/log/$name.log:" >&2
      grep -v '^\s*at ' "$DIR/log/$name.log" | tail -5 >&2
      stop_all
      exit 1
    fi
  done
  if [ $waited -ge 1200 ]; then
    echo "flink-cluster.sh: $registered of $TASKMANAGERS TaskManagers registered after 120 s; see $DIR/log" >&2
    stop_all
    exit 1
  fi
  sleep 0.1
  waited=$((waited + 1))
  registered=$(curl -sf "http://127.0.0.1:$PORT/overview" | sed -n 's/.*"taskmanagers":\([0-9]*\).*/\1/p' || true)
  registered=${registered:-0}
done
echo "Flink session cluster up in $SECONDS s: $TASKMANAGERS TaskManagers, $((TASKMANAGERS * SLOTS)) slots, dashboard http://127.0.0.1:$PORT" >&2
echo "  kafka-demo sql --jobmanager 127.0.0.1:$PORT ...; stop it with scripts/flink-cluster.sh stop$DIR_FLAG" >&2
echo "127.0.0.1:$PORT"
