#!/usr/bin/env bash
# Our producer and consumer against kcat and Apache Kafka's perf tools, on the same broker, in
# one run: wall time of each whole command, events/s, MB/s, the ratio ours/kcat, and end-to-end
# latency at a fixed rate; then the same million on a 3-node cluster (`cluster start`) next to the
# single broker, and Flink SQL on a session cluster (scripts/flink-cluster.sh) next to the local
# one. Median of --reps runs. Not part of mvn verify.
#
#   scripts/bench.sh [-h] [--bootstrap-server HOST:PORT] [--events N] [--reps N] [--port PORT]
#   defaults: an embedded broker on port 19092, 1000000 events, 3 repetitions
#   writes target/bench/results.json and prints the table
set -euo pipefail

EVENTS=1000000
REPS=3
PORT=19092
BOOTSTRAP=""
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --bootstrap-server) BOOTSTRAP="$2"; shift 2 ;;
    --events) EVENTS="$2"; shift 2 ;;
    --reps) REPS="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    *) echo "bench.sh: unknown option $1 (see -h)" >&2; exit 2 ;;
  esac
done

cd "$(dirname "$0")/.."
JAR=target/kafka-demo.jar
OUT=target/bench
mkdir -p "$OUT"
command -v kcat >/dev/null || { echo "bench.sh: kcat is needed (Debian/Ubuntu: apt-get install kcat)" >&2; exit 1; }
{ [ -f "$JAR" ] && [ -f target/kafka-demo-sql.jar ] && [ -f target/kafka-demo-sql-job.jar ] && [ -d target/flink-cluster/lib ]; } \
  || mvn -B -q -DskipTests package
mvn -B -q -f scripts/bench-tools.pom.xml dependency:build-classpath -Dmdep.outputFile="$PWD/$OUT/tools.classpath" >/dev/null
TOOLS=$(cat "$OUT/tools.classpath")
DEMO=(java -Xmx256m -jar "$JAR")

# Every process this script starts is stopped on exit, the broker last.
stop() { for pid in "$@"; do [ -n "$pid" ] && { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }; done; }
cleanup() {
  set +e
  [ -n "${CLUSTER_DIR:-}" ] && java -jar "$JAR" cluster stop --data-dir "$CLUSTER_DIR" >/dev/null 2>&1
  [ -n "${FLINK_DIR:-}" ] && scripts/flink-cluster.sh stop --dir "$FLINK_DIR" >/dev/null 2>&1
  stop "${CONNECT_PID:-}" "${REGISTRY_PID:-}" "${PG_PID:-}" "${TLS_BROKER:-}" "${BROKER:-}"; true
}
trap cleanup EXIT
if [ -z "$BOOTSTRAP" ]; then
  BOOTSTRAP="localhost:$PORT"
  java -jar "$JAR" broker --port "$PORT" >"$OUT/broker.log" 2>&1 &
  BROKER=$!
  for _ in $(seq 600); do grep -q "broker ready" "$OUT/broker.log" && break; sleep 0.1; done
  grep -q "broker ready" "$OUT/broker.log" || { cat "$OUT/broker.log" >&2; exit 1; }
fi
# The TLS rows: a second embedded broker whose client port speaks TLS, with the client settings it
# writes; only when this script runs the brokers (a broker of yours has its own security).
TLS_BOOTSTRAP=""
if [ -n "${BROKER:-}" ]; then
  TLS_PORT=$((PORT + 93))
  rm -rf "$OUT/tls"
  java -jar "$JAR" broker --port "$TLS_PORT" --tls --tls-dir "$OUT/tls" >"$OUT/tls-broker.log" 2>&1 &
  TLS_BROKER=$!
  for _ in $(seq 600); do grep -q "^TLS: " "$OUT/tls-broker.log" && break; sleep 0.1; done
  grep -q "^TLS: " "$OUT/tls-broker.log" || { cat "$OUT/tls-broker.log" >&2; exit 1; }
  TLS_BOOTSTRAP="localhost:$TLS_PORT"
  TLS=(-b "$TLS_BOOTSTRAP" --command-config "$OUT/tls/client.properties")
fi
echo "Broker $BOOTSTRAP, $EVENTS events, $REPS repetitions" >&2

# AppCDS: one run records the classes it loads; later runs map them instead of loading the jar's.
"${DEMO[@]}" topics create "cds-$$" --partitions 1 -b "$BOOTSTRAP" >/dev/null 2>&1
java -XX:ArchiveClassesAtExit="$OUT/kafka-demo.jsa" -Xlog:cds=off -Xmx256m -jar "$JAR" producer -b "$BOOTSTRAP" \
  --topic "cds-$$" --count 1000 --quiet >/dev/null 2>"$OUT/cds.err"
DEMO_CDS=(java -XX:SharedArchiveFile="$OUT/kafka-demo.jsa" -Xmx256m -jar "$JAR")
DEMO_CDS_C1=(java -XX:SharedArchiveFile="$OUT/kafka-demo.jsa" -XX:TieredStopAtLevel=1 -Xmx256m -jar "$JAR")

# Milliseconds of wall time for a whole command; its output goes to $OUT/<name>.out/.err.
timed() {
  local name=$1; shift
  local start end
  start=$(date +%s%N)
  "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" || { echo "bench.sh: $name failed:" >&2; tail -5 "$OUT/$name.err" >&2; exit 1; }
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}
# Milliseconds from the start of a running query (--format json) to its first result on stdout;
# the query is then stopped as Ctrl-C stops it.
first_result() {
  local name=$1; shift
  local start end pid
  start=$(date +%s%N)
  "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" &
  pid=$!
  until [ -s "$OUT/$name.out" ]; do
    kill -0 "$pid" 2>/dev/null || { echo "bench.sh: $name ended before a result:" >&2; tail -5 "$OUT/$name.err" >&2; exit 1; }
    sleep 0.01
  done
  end=$(date +%s%N)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo $(( (end - start) / 1000000 ))
}
topic() { "${DEMO[@]}" topics create "$1" --partitions 3 -b "$BOOTSTRAP" 2>/dev/null; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

# Warm-up, not measured: the broker compiles its produce and fetch paths during its first million
# events, which would slow whichever client went first. It also writes the events kcat sends:
# the same generated events, keyed by user id, as key<TAB>value lines.
topic "warmup-$$"
"${DEMO[@]}" producer -b "$BOOTSTRAP" --topic "warmup-$$" --count "$EVENTS" --quiet 2>/dev/null
"${DEMO[@]}" consumer -b "$BOOTSTRAP" --topic "warmup-$$" --group "warmup-$$" --from-beginning \
  --max-messages "$EVENTS" --format value 2>/dev/null \
  | awk '{ match($0, /"userId":"[^"]*"/); print substr($0, RSTART + 10, RLENGTH - 11) "\t" $0 }' >"$OUT/events.tsv"
kcat -P -l -b "$BOOTSTRAP" -t "warmup-$$" -K $'\t' "$OUT/events.tsv"
if [ -n "$TLS_BOOTSTRAP" ]; then # the TLS broker's warm-up, TLS included
  "${DEMO[@]}" producer "${TLS[@]}" --topic "warmup-$$" --count "$EVENTS" --quiet 2>/dev/null
  "${DEMO[@]}" consumer "${TLS[@]}" --topic "warmup-$$" --group "warmup-$$" --from-beginning \
    --max-messages "$EVENTS" --format none 2>/dev/null
fi
# The streams application's input: the same number of events, spread over six hours of event time,
# so that windows close and sessions end while it runs.
STREAMS_TOPIC="streams-$$"
topic "$STREAMS_TOPIC"
"${DEMO[@]}" producer -b "$BOOTSTRAP" --topic "$STREAMS_TOPIC" --count "$EVENTS" --time-span 6h --seed 1 --quiet 2>/dev/null
STREAMS=(java -Xmx512m -jar "$JAR" streams -b "$BOOTSTRAP" --topic "$STREAMS_TOPIC" --http-port 0 --format none --stop-when-caught-up)
# Flink SQL: the per-type window count over the same events, to the topic's end; and the start-up
# of sql (to a one-event topic's count), from its own jar and handed over from kafka-demo.jar.
SQL_JAR=target/kafka-demo-sql.jar
SQL=(java -Xmx512m -jar "$SQL_JAR" sql -b "$BOOTSTRAP" --until-latest --format json)
SQL_RUNNING=(java -Xmx512m -jar "$SQL_JAR" sql -b "$BOOTSTRAP" --format json)
SQL_WINDOWS="SELECT window_start, eventType, COUNT(*) AS events FROM TABLE(TUMBLE(TABLE user_events, DESCRIPTOR(event_time), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end, eventType"
"${DEMO[@]}" topics create "sql-one-$$" --partitions 1 -b "$BOOTSTRAP" >/dev/null 2>&1
"${DEMO[@]}" producer -b "$BOOTSTRAP" --topic "sql-one-$$" --count 1 --quiet 2>/dev/null
# bin/kafka-demo, the launcher, with the same heap; its class-data archives in $OUT, made here by
# each command's first run, unmeasured.
LAUNCH=(env KAFKA_DEMO_OPTS=-Xmx256m KAFKA_DEMO_CACHE="$OUT" KAFKA_DEMO_JAR="$JAR" bin/kafka-demo)
rm -f "$OUT"/kafka-demo-*-java*.jsa "$OUT"/kafka-demo-*-java*.aot
"${LAUNCH[@]}" producer -b "$BOOTSTRAP" --topic "sql-one-$$" --count 1 --quiet 2>/dev/null
"${LAUNCH[@]}" consumer -b "$BOOTSTRAP" --topic "sql-one-$$" --group "launch-$$" --from-beginning --max-messages 1 \
  --format none 2>/dev/null
"${LAUNCH[@]}" topics list -b "$BOOTSTRAP" >/dev/null 2>&1
echo "broker warmed up" >&2

# Avro rows: a real schema registry (Apicurio, scripts/schema-registry.sh), if a Java 21+ runtime is
# there to run it.
REGISTRY_PORT=$((PORT + 89))
REGISTRY=""
if scripts/schema-registry.sh --find-java >/dev/null 2>&1; then
  scripts/schema-registry.sh --port "$REGISTRY_PORT" --data-dir "$OUT/registry" >"$OUT/registry.log" 2>&1 &
  REGISTRY_PID=$!
  for _ in $(seq 600); do
    curl -sf "http://127.0.0.1:$REGISTRY_PORT/apis/ccompat/v7/subjects" >/dev/null 2>&1 && break; sleep 0.2
  done
  REGISTRY="http://127.0.0.1:$REGISTRY_PORT/apis/ccompat/v7"
else
  echo "bench.sh: no Java 21+ runtime for the schema registry: no Avro rows" >&2
fi
# The JDBC sink row: a real PostgreSQL (scripts/postgres.sh) and a Connect worker from the jar.
PG_PORT=$((PORT + 91)); CONNECT_PORT=$((PORT + 92)); SINK=""
if ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 && command -v psql >/dev/null; then
  rm -rf "$OUT/postgres"
  scripts/postgres.sh --port "$PG_PORT" --data-dir "$OUT/postgres" >"$OUT/postgres.log" 2>&1 &
  PG_PID=$!
  for _ in $(seq 300); do grep -q "PostgreSQL ready" "$OUT/postgres.log" && break; sleep 0.1; done
  KAFKA_DEMO_POSTGRES_PORT=$PG_PORT java -Xmx512m -jar "$JAR" connect -b "$BOOTSTRAP" --group "bench-connect-$$" \
    --rest-port "$CONNECT_PORT" >"$OUT/connect.log" 2>&1 &
  CONNECT_PID=$!
  for _ in $(seq 600); do grep -q "worker ready" "$OUT/connect.log" && break; sleep 0.2; done
  grep -q "worker ready" "$OUT/connect.log" && SINK="http://127.0.0.1:$CONNECT_PORT"
fi
[ -n "$SINK" ] || echo "bench.sh: no PostgreSQL server or Connect worker: no JDBC sink row" >&2
rows() { psql -tA -h 127.0.0.1 -p "$PG_PORT" -U kafka_demo kafka_demo -c "SELECT count(*) FROM $1" 2>/dev/null || echo 0; }
# Milliseconds from the sink's first row in the table to its 100,000th (the connector file from
# connect/, on its own topic and table).
sink_millis() {
  local topic=$1 table=$2 first="" now n
  sed -e "s/\"name\": \"user-events-to-postgres\"/\"name\": \"$table\"/" \
      -e "s/\"topics\": \"user-events\"/\"topics\": \"$topic\"/" \
      -e "s/\"collection.name.format\": \"user_events\"/\"collection.name.format\": \"$table\"/" \
      -e "s/user-events.connect-dlq/$topic.dlq/" connect/user-events-to-postgres.json >"$OUT/sink.json"
  "${DEMO[@]}" connectors apply "$table" --file "$OUT/sink.json" --connect-url "$SINK" >/dev/null 2>&1
  while :; do
    n=$(rows "$table"); now=$(date +%s%N)
    [ -z "$first" ] && [ "${n:-0}" -gt 0 ] && first=$now
    [ "${n:-0}" -ge 100000 ] && break
    sleep 0.05
  done
  "${DEMO[@]}" connectors delete "$table" --yes --connect-url "$SINK" >/dev/null 2>&1
  echo $(( (now - first) / 1000000 ))
}
# The last run of $1 over the last run of $2, per mille.
pair_ratio() { echo $(( $(echo "${RUNS[$1]}" | awk '{ print $NF }') * 1000 / $(echo "${RUNS[$2]}" | awk '{ print $NF }') )); }
value_bytes() { kcat -C -b "$BOOTSTRAP" -t "$1" -e -q -f '%S\n' | awk '{ n += $1 } END { printf "%.1f", n / NR }'; }

declare -A RUNS
for rep in $(seq "$REPS"); do
  run="b$rep-$$"
  topic "$run.ours"; topic "$run.kcat"; topic "$run.perf"; topic "$run.e2e"; topic "$run.launch"
  RUNS[ours_producer]+="$(timed ours-producer "${DEMO[@]}" producer -b "$BOOTSTRAP" --topic "$run.ours" --count "$EVENTS" --quiet) "
  if [ -n "$REGISTRY" ]; then # the same generated events as Avro, right after the JSON run it is compared with
    topic "$run.avro"
    RUNS[avro_producer]+="$(timed avro-producer "${DEMO[@]}" producer -b "$BOOTSTRAP" --topic "$run.avro" --count "$EVENTS" \
      --value-format avro --schema-registry "$REGISTRY" --quiet) "
  fi
  RUNS[kcat_producer]+="$(timed kcat-producer kcat -P -l -b "$BOOTSTRAP" -t "$run.kcat" -K $'\t' -X acks=all -X enable.idempotence=true "$OUT/events.tsv") "
  size=$(awk -F'\t' '{ n += length($2) } END { printf "%d", n / NR }' "$OUT/events.tsv")
  RUNS[perf_producer]+="$(timed perf-producer java -cp "$TOOLS" org.apache.kafka.tools.ProducerPerformance --topic "$run.perf" \
    --num-records "$EVENTS" --record-size "$size" --throughput -1 --producer-props "bootstrap.servers=$BOOTSTRAP") "
  RUNS[ours_consumer]+="$(timed ours-consumer "${DEMO[@]}" consumer -b "$BOOTSTRAP" --topic "$run.ours" --group "c-$run" \
    --from-beginning --max-messages "$EVENTS" --format none) "
  # The same read with a CEL --filter that looks at the value, the key and the timestamp of every
  # event and is true for all of them, so that --max-messages ends it as it ends the plain read.
  RUNS[filter_consumer]+="$(timed filter-consumer "${DEMO[@]}" consumer -b "$BOOTSTRAP" --topic "$run.ours" --group "f-$run" \
    --from-beginning --max-messages "$EVENTS" --format none \
    --filter 'value.eventType != "" && key.startsWith("user-") && timestamp > 0') "
  RUNS[filter_ratio]+="$(pair_ratio filter_consumer ours_consumer) "
  # Backup of the same million (against the consumer's read), and its restore under a new name on
  # the same broker (against the producer's write).
  rm -rf "$OUT/backup-$run"
  RUNS[backup]+="$(timed backup "${DEMO[@]}" backup -b "$BOOTSTRAP" --topic "$run.ours" --to "$OUT/backup-$run") "
  RUNS[backup_ratio]+="$(pair_ratio backup ours_consumer) "
  RUNS[restore]+="$(timed restore "${DEMO[@]}" restore -b "$BOOTSTRAP" --from "$OUT/backup-$run" --rename "$run.ours=$run.restored") "
  RUNS[restore_ratio]+="$(pair_ratio restore ours_producer) "
  RUNS[backup_kib]+="$(du -sk "$OUT/backup-$run" | cut -f1) "
  rm -rf "$OUT/backup-$run"
  if [ -n "$TLS_BOOTSTRAP" ]; then # the same million over TLS, on the TLS broker
    "${DEMO[@]}" topics create "$run.tls" --partitions 3 "${TLS[@]}" >/dev/null 2>&1
    RUNS[tls_producer]+="$(timed tls-producer "${DEMO[@]}" producer "${TLS[@]}" --topic "$run.tls" --count "$EVENTS" --quiet) "
    RUNS[tls_producer_ratio]+="$(pair_ratio tls_producer ours_producer) "
    RUNS[tls_consumer]+="$(timed tls-consumer "${DEMO[@]}" consumer "${TLS[@]}" --topic "$run.tls" --group "t-$run" \
      --from-beginning --max-messages "$EVENTS" --format none) "
    RUNS[tls_consumer_ratio]+="$(pair_ratio tls_consumer ours_consumer) "
  fi
  if [ -n "$REGISTRY" ]; then
    RUNS[avro_consumer]+="$(timed avro-consumer "${DEMO[@]}" consumer -b "$BOOTSTRAP" --topic "$run.avro" --group "a-$run" \
      --from-beginning --max-messages "$EVENTS" --format none --schema-registry "$REGISTRY") "
    # Avro/JSON of this repetition, per mille: pairs measured minutes apart drift with the machine.
    RUNS[avro_producer_ratio]+="$(pair_ratio avro_producer ours_producer) "
    RUNS[avro_consumer_ratio]+="$(pair_ratio avro_consumer ours_consumer) "
    if [ "$rep" = 1 ]; then
      JSON_BYTES=$(value_bytes "$run.ours"); AVRO_BYTES=$(value_bytes "$run.avro")
    fi
  fi
  RUNS[kcat_consumer]+="$(timed kcat-consumer kcat -C -b "$BOOTSTRAP" -t "$run.ours" -e -q -o beginning) "
  # kcat as a member of a fresh group (-G), as our consumer is: joins, reads to the end, leaves.
  RUNS[kcat_group_consumer]+="$(timed kcat-group-consumer kcat -b "$BOOTSTRAP" -G "k-$run" -o beginning -e -q "$run.ours") "
  RUNS[launch_producer]+="$(timed launch-producer "${LAUNCH[@]}" producer -b "$BOOTSTRAP" --topic "$run.launch" --count "$EVENTS" --quiet) "
  RUNS[launch_consumer]+="$(timed launch-consumer "${LAUNCH[@]}" consumer -b "$BOOTSTRAP" --topic "$run.ours" --group "l-$run" \
    --from-beginning --max-messages "$EVENTS" --format none) "
  RUNS[topics_list]+="$(timed topics-list "${DEMO[@]}" topics list -b "$BOOTSTRAP") "
  RUNS[launch_topics_list]+="$(timed launch-topics-list "${LAUNCH[@]}" topics list -b "$BOOTSTRAP") "
  RUNS[apache_topics_list]+="$(timed apache-topics-list java -cp "$TOOLS" org.apache.kafka.tools.TopicCommand \
    --bootstrap-server "$BOOTSTRAP" --list) "
  RUNS[perf_consumer]+="$(timed perf-consumer java -cp "$TOOLS" org.apache.kafka.tools.ConsumerPerformance \
    --bootstrap-server "$BOOTSTRAP" --topic "$run.ours" --messages "$EVENTS") "
  if [ -n "$SINK" ]; then # 100,000 events into PostgreSQL through the JDBC sink
    topic "$run.sink"
    "${DEMO[@]}" producer -b "$BOOTSTRAP" --topic "$run.sink" --count 100000 --quiet 2>/dev/null
    RUNS[sink_ms]+="$(sink_millis "$run.sink" "sink_$rep") "
  fi
  # Kafka Streams, all three parts, from start until every input offset is committed; next to the
  # plain consumer on the same events.
  RUNS[streams_consumer]+="$(timed streams-consumer "${DEMO[@]}" consumer -b "$BOOTSTRAP" --topic "$STREAMS_TOPIC" \
    --group "sc-$run" --from-beginning --max-messages "$EVENTS" --format none) "
  RUNS[streams_alos]+="$(timed streams-alos "${STREAMS[@]}" --application-id "sa-$run" --state-dir "$OUT/state-$run") "
  RUNS[streams_state_kb]+="$(du -sk "$OUT/state-$run/sa-$run" | cut -f1) "
  RUNS[streams_eos]+="$(timed streams-eos "${STREAMS[@]}" --application-id "se-$run" --state-dir "$OUT/state-$run" \
    --guarantee exactly-once) "
  RUNS[sql_windows]+="$(timed sql-windows "${SQL[@]}" --topic "$STREAMS_TOPIC" "$SQL_WINDOWS") "
  RUNS[sql_start]+="$(timed sql-start "${SQL[@]}" --topic "sql-one-$$" "SELECT COUNT(*) AS events FROM user_events") "
  RUNS[sql_first]+="$(first_result sql-first "${SQL_RUNNING[@]}" --topic "$STREAMS_TOPIC" "$SQL_WINDOWS") "
  RUNS[sql_start_handed]+="$(timed sql-start-handed java -Xmx512m -jar "$JAR" sql -b "$BOOTSTRAP" --until-latest \
    --topic "sql-one-$$" "SELECT COUNT(*) AS events FROM user_events") "
  RUNS[first_send]+="$(timed first-send "${DEMO[@]}" producer -b "$BOOTSTRAP" --topic "$run.e2e" --count 1 --quiet) "
  # The same with the JVM's class data sharing archive (recorded once, above) and with C1 only.
  RUNS[launch_first_send]+="$(timed launch-first-send "${LAUNCH[@]}" producer -b "$BOOTSTRAP" --topic "$run.e2e" --count 1 --quiet) "
  RUNS[first_send_cds]+="$(timed first-send-cds "${DEMO_CDS[@]}" producer -b "$BOOTSTRAP" --topic "$run.e2e" --count 1 --quiet) "
  RUNS[first_send_cds_c1]+="$(timed first-send-cds-c1 "${DEMO_CDS_C1[@]}" producer -b "$BOOTSTRAP" --topic "$run.e2e" --count 1 --quiet) "
  # End to end at 10,000 events/s for 30 s: the consumer's event age (record timestamp to
  # processed), over the whole run and, from its per-second --stats lines, over the last 10 s,
  # when both JVMs are warm.
  "${DEMO[@]}" consumer -b "$BOOTSTRAP" --topic "$run.e2e" --group "e-$run" --max-messages 300000 --format none \
    --stats 1 2>"$OUT/e2e-consumer.err" &
  consumer=$!
  for _ in $(seq 300); do grep -q "Assigned partitions" "$OUT/e2e-consumer.err" && break; sleep 0.1; done
  "${DEMO[@]}" producer -b "$BOOTSTRAP" --topic "$run.e2e" --count 300000 --rate 10000 --quiet 2>/dev/null
  wait "$consumer"
  RUNS[e2e_p50]+="$(sed -n 's/.*end-to-end latency): p50 \([0-9]*\) ms.*/\1/p' "$OUT/e2e-consumer.err") "
  RUNS[e2e_p99]+="$(sed -n 's/.*end-to-end latency): p50 [0-9]* ms, p99 \([0-9]*\) ms.*/\1/p' "$OUT/e2e-consumer.err") "
  warm=$(sed -n 's/^stats: .*event age p50 \([0-9]*\) ms, p99 \([0-9]*\) ms.*/\1 \2/p' "$OUT/e2e-consumer.err" | tail -10)
  RUNS[e2e_warm_p50]+="$(echo "$warm" | cut -d' ' -f1 | median) "
  RUNS[e2e_warm_p99]+="$(echo "$warm" | cut -d' ' -f2 | median) "
  echo "repetition $rep done" >&2
done

# The 3-node cluster rows (cluster start: three broker processes, replication factor 3 and
# min.insync.replicas 2), after the single broker's, so that its two extra JVMs slow no other row;
# only when this script runs the brokers. Each node warms up on a million events first.
if [ -n "${BROKER:-}" ]; then
  CLUSTER_DIR="$OUT/cluster"
  rm -rf "$CLUSTER_DIR"
  CLUSTER=$(java -jar "$JAR" cluster start --nodes 3 --port $((PORT + 100)) --data-dir "$CLUSTER_DIR" 2>"$OUT/cluster-start.err") \
    || { cat "$OUT/cluster-start.err" >&2; exit 1; }
  ctopic() { "${DEMO[@]}" topics create "$1" --partitions 3 -b "$CLUSTER" 2>/dev/null; }
  ctopic "cwarm-$$"
  "${DEMO[@]}" producer -b "$CLUSTER" --topic "cwarm-$$" --count "$EVENTS" --quiet 2>/dev/null
  "${DEMO[@]}" consumer -b "$CLUSTER" --topic "cwarm-$$" --group "cwarm-$$" --from-beginning --max-messages "$EVENTS" \
    --format none 2>/dev/null
  echo "cluster $CLUSTER warmed up" >&2
  for rep in $(seq "$REPS"); do
    run="c$rep-$$"
    ctopic "$run.ours"; ctopic "$run.kcat"
    RUNS[cluster_producer]+="$(timed cluster-producer "${DEMO[@]}" producer -b "$CLUSTER" --topic "$run.ours" --count "$EVENTS" --quiet) "
    RUNS[cluster_kcat_producer]+="$(timed cluster-kcat-producer kcat -P -l -b "$CLUSTER" -t "$run.kcat" -K $'\t' -X acks=all \
      -X enable.idempotence=true "$OUT/events.tsv") "
    RUNS[cluster_consumer]+="$(timed cluster-consumer "${DEMO[@]}" consumer -b "$CLUSTER" --topic "$run.ours" --group "c-$run" \
      --from-beginning --max-messages "$EVENTS" --format none) "
    RUNS[cluster_kcat_group_consumer]+="$(timed cluster-kcat-group-consumer kcat -b "$CLUSTER" -G "k-$run" -o beginning -e -q "$run.ours") "
  done
  java -jar "$JAR" cluster stop --data-dir "$CLUSTER_DIR" >/dev/null 2>&1
  CLUSTER_DIR=""
fi

# The Flink session cluster rows (scripts/flink-cluster.sh: a JobManager and two TaskManagers):
# the same window count as the local mode's row, submitted with sql --jobmanager and checkpointed
# every 2 s (the default there), and each mode's time from the command to its first result. After
# the other rows, so that its three JVMs slow none of them.
FLINK_DIR="$OUT/flink"
rm -rf "$FLINK_DIR"
JOBMANAGER=$(scripts/flink-cluster.sh start --dir "$FLINK_DIR" --port $((PORT + 200)) --rpc-port $((PORT + 201)) 2>"$OUT/flink-start.err") \
  || { cat "$OUT/flink-start.err" >&2; exit 1; }
for rep in $(seq "$REPS"); do
  RUNS[flink_windows]+="$(timed flink-windows "${SQL[@]}" --jobmanager "$JOBMANAGER" --topic "$STREAMS_TOPIC" "$SQL_WINDOWS") "
  RUNS[flink_first]+="$(first_result flink-first "${SQL_RUNNING[@]}" --jobmanager "$JOBMANAGER" --topic "$STREAMS_TOPIC" "$SQL_WINDOWS") "
done
scripts/flink-cluster.sh stop --dir "$FLINK_DIR" >/dev/null 2>&1
FLINK_DIR=""

m() { echo "${RUNS[$1]}" | tr ' ' '\n' | grep -v '^$' | median; }
size=$(awk -F'\t' '{ n += length($0) } END { printf "%d", n / NR }' "$OUT/events.tsv")
row() { # name, ms, kcat ms
  awk -v name="$1" -v ms="$2" -v k="$3" -v n="$EVENTS" -v size="$size" 'BEGIN {
    printf "%-34s %9.2f s %12.0f ev/s %8.1f MB/s %s\n", name, ms / 1000, n / (ms / 1000), n * size / (ms / 1000) / 1e6,
      (k > 0 ? sprintf("ours/kcat %.2f", k / ms) : "") }'
}
{
  echo "Median of $REPS runs, $EVENTS events of ~$size bytes, 3 partitions, broker $BOOTSTRAP"
  row "producer: kafka-demo (acks=all)" "$(m ours_producer)" "$(m kcat_producer)"
  row "producer: kcat -P (acks=all)" "$(m kcat_producer)" 0
  row "producer: ProducerPerformance" "$(m perf_producer)" 0
  row "consumer: kafka-demo (parses all)" "$(m ours_consumer)" "$(m kcat_consumer)"
  row "consumer: kafka-demo --filter (CEL)" "$(m filter_consumer)" "$(m kcat_consumer)"
  awk -v r="$(m filter_ratio)" -v rs="${RUNS[filter_ratio]}" 'BEGIN {
    printf "%-34s %.2f (runs: %s)\n", "  time --filter/plain, median", r / 1000, rs }'
  row "backup: kafka-demo" "$(m backup)" 0
  row "restore: kafka-demo (new topic)" "$(m restore)" 0
  awk -v b="$(m backup_ratio)" -v r="$(m restore_ratio)" -v br="${RUNS[backup_ratio]}" -v rr="${RUNS[restore_ratio]}" \
    -v kib="$(m backup_kib)" 'BEGIN {
    printf "%-34s backup/consumer %.2f (runs: %s), restore/producer %.2f (runs: %s), %.1f MiB on disk\n",
      "  time, median", b / 1000, br, r / 1000, rr, kib / 1024 }'
  if [ -n "$TLS_BOOTSTRAP" ]; then
    row "producer: kafka-demo over TLS" "$(m tls_producer)" "$(m kcat_producer)"
    row "consumer: kafka-demo over TLS" "$(m tls_consumer)" "$(m kcat_consumer)"
    awk -v p="$(m tls_producer_ratio)" -v c="$(m tls_consumer_ratio)" -v pr="${RUNS[tls_producer_ratio]}" \
      -v cr="${RUNS[tls_consumer_ratio]}" 'BEGIN {
      printf "%-34s producer %.2f (runs: %s), consumer %.2f (runs: %s)\n", "  time TLS/plaintext, median",
        p / 1000, pr, c / 1000, cr }'
  fi
  row "consumer: kcat -C" "$(m kcat_consumer)" 0
  row "consumer: ConsumerPerformance" "$(m perf_consumer)" 0
  row "consumer: kcat -G (fresh group)" "$(m kcat_group_consumer)" 0
  row "producer: bin/kafka-demo" "$(m launch_producer)" "$(m kcat_producer)"
  row "consumer: bin/kafka-demo" "$(m launch_consumer)" "$(m kcat_group_consumer)"
  printf "%-34s %9.2f s (bin/kafka-demo %.2f s, Apache's kafka-topics --list %.2f s)\n" "topics list" \
    "$(awk -v ms="$(m topics_list)" 'BEGIN { print ms / 1000 }')" "$(awk -v ms="$(m launch_topics_list)" 'BEGIN { print ms / 1000 }')" \
    "$(awk -v ms="$(m apache_topics_list)" 'BEGIN { print ms / 1000 }')"
  if [ -n "$REGISTRY" ]; then
    row "producer: kafka-demo, Avro" "$(m avro_producer)" 0
    row "consumer: kafka-demo, Avro" "$(m avro_consumer)" 0
    awk -v j="$JSON_BYTES" -v a="$AVRO_BYTES" 'BEGIN {
      printf "%-34s %9.1f B (JSON %.1f B: %.0f %%)\n", "  Avro value bytes per event", a, j, 100 * a / j }'
    awk -v p="$(m avro_producer_ratio)" -v c="$(m avro_consumer_ratio)" -v pr="${RUNS[avro_producer_ratio]}" \
      -v cr="${RUNS[avro_consumer_ratio]}" 'BEGIN {
      printf "%-34s producer %.2f (runs: %s), consumer %.2f (runs: %s)\n", "  time Avro/JSON, median of runs",
        p / 1000, pr, c / 1000, cr }'
  fi
  if [ -n "$SINK" ]; then
    awk -v ms="$(m sink_ms)" -v c="$(m ours_consumer)" -v n="$EVENTS" 'BEGIN {
      printf "%-34s %9.2f s %12.0f rows/s sink/consumer %.2f\n", "JDBC sink: 100,000 rows", ms / 1000,
        100000 / (ms / 1000), (100000 / (ms / 1000)) / (n / (c / 1000)) }'
  fi
  if [ -n "${RUNS[cluster_producer]:-}" ]; then
    row "producer: 3-node cluster (RF 3)" "$(m cluster_producer)" "$(m cluster_kcat_producer)"
    row "producer: kcat -P, 3-node cluster" "$(m cluster_kcat_producer)" 0
    row "consumer: 3-node cluster" "$(m cluster_consumer)" "$(m cluster_kcat_group_consumer)"
    row "consumer: kcat -G, 3-node cluster" "$(m cluster_kcat_group_consumer)" 0
    awk -v p="$(m cluster_producer)" -v c="$(m cluster_consumer)" -v sp="$(m ours_producer)" -v sc="$(m ours_consumer)" 'BEGIN {
      printf "%-34s producer %.2f, consumer %.2f\n", "  time 3 nodes/1 node, medians", p / sp, c / sc }'
  fi
  row "consumer: the streams input" "$(m streams_consumer)" 0
  awk -v ms="$(m streams_alos)" -v c="$(m streams_consumer)" -v n="$EVENTS" 'BEGIN { printf "%-34s %9.2f s %12.0f ev/s %s\n", "streams: at-least-once", ms / 1000, n / (ms / 1000), sprintf("streams/consumer %.2f", c / ms) }'
  awk -v ms="$(m streams_eos)" -v c="$(m streams_consumer)" -v n="$EVENTS" 'BEGIN { printf "%-34s %9.2f s %12.0f ev/s %s\n", "streams: exactly-once", ms / 1000, n / (ms / 1000), sprintf("streams/consumer %.2f", c / ms) }'
  printf "%-34s %9d KiB\n" "  state directory (at-least-once)" "$(m streams_state_kb)"
  awk -v ms="$(m sql_windows)" -v c="$(m streams_consumer)" -v n="$EVENTS" 'BEGIN { printf "%-34s %9.2f s %12.0f ev/s %s\n", "sql: windows per type, to the end", ms / 1000, n / (ms / 1000), sprintf("sql/consumer %.2f", c / ms) }'
  printf "%-34s %9.2f s (from kafka-demo.jar: %.2f s)\n" "  sql start-up (one-event count)" \
    "$(awk -v ms="$(m sql_start)" 'BEGIN { print ms / 1000 }')" "$(awk -v ms="$(m sql_start_handed)" 'BEGIN { print ms / 1000 }')"
  awk -v ms="$(m flink_windows)" -v l="$(m sql_windows)" -v n="$EVENTS" 'BEGIN { printf "%-34s %9.2f s %12.0f ev/s %s\n", "  the same on a Flink cluster", ms / 1000, n / (ms / 1000), sprintf("cluster/local %.2f", ms / l) }'
  printf "%-34s %9.2f s (on the Flink cluster: %.2f s)\n" "  sql: to the first window" \
    "$(awk -v ms="$(m sql_first)" 'BEGIN { print ms / 1000 }')" "$(awk -v ms="$(m flink_first)" 'BEGIN { print ms / 1000 }')"
  printf "%-34s %9.2f s\n" "producer --count 1 (JVM to exit)" "$(awk -v ms="$(m first_send)" 'BEGIN { print ms / 1000 }')"
  printf "%-34s %9.2f s\n" "  through bin/kafka-demo" "$(awk -v ms="$(m launch_first_send)" 'BEGIN { print ms / 1000 }')"
  printf "%-34s %9.2f s\n" "  the same with AppCDS" "$(awk -v ms="$(m first_send_cds)" 'BEGIN { print ms / 1000 }')"
  printf "%-34s %9.2f s\n" "  with AppCDS and C1 only" "$(awk -v ms="$(m first_send_cds_c1)" 'BEGIN { print ms / 1000 }')"
  printf "%-34s p50 %s ms, p99 %s ms\n" "end to end at 10,000 events/s" "$(m e2e_p50)" "$(m e2e_p99)"
  printf "%-34s p50 %s ms, p99 %s ms\n" "  the last 10 s (per-second median)" "$(m e2e_warm_p50)" "$(m e2e_warm_p99)"
} | tee "$OUT/results.txt"
AVRO_PRODUCER=null; AVRO_CONSUMER=null; AVRO_PRODUCER_RATIO=null; AVRO_CONSUMER_RATIO=null; SINK_MS=null
TLS_PRODUCER=null; TLS_CONSUMER=null; TLS_PRODUCER_RATIO=null; TLS_CONSUMER_RATIO=null
CLUSTER_JSON=null
if [ -n "${RUNS[cluster_producer]:-}" ]; then
  CLUSTER_JSON="{\"producer\": $(m cluster_producer), \"kcatProducer\": $(m cluster_kcat_producer), \"consumer\": $(m cluster_consumer), \"kcatGroupConsumer\": $(m cluster_kcat_group_consumer)}"
fi
if [ -n "$TLS_BOOTSTRAP" ]; then
  TLS_PRODUCER=$(m tls_producer); TLS_CONSUMER=$(m tls_consumer)
  TLS_PRODUCER_RATIO=$(m tls_producer_ratio); TLS_CONSUMER_RATIO=$(m tls_consumer_ratio)
fi
if [ -n "$SINK" ]; then SINK_MS=$(m sink_ms); fi
if [ -n "$REGISTRY" ]; then
  AVRO_PRODUCER=$(m avro_producer); AVRO_CONSUMER=$(m avro_consumer)
  AVRO_PRODUCER_RATIO=$(m avro_producer_ratio); AVRO_CONSUMER_RATIO=$(m avro_consumer_ratio)
fi
cat >"$OUT/results.json" <<JSON
{"events": $EVENTS, "repetitions": $REPS, "recordBytes": $size, "bootstrap": "$BOOTSTRAP",
 "medianMillis": {"oursProducer": $(m ours_producer), "kcatProducer": $(m kcat_producer), "perfProducer": $(m perf_producer),
  "launcherProducer": $(m launch_producer), "launcherConsumer": $(m launch_consumer), "kcatGroupConsumer": $(m kcat_group_consumer),
  "launcherProducerOneEvent": $(m launch_first_send), "topicsList": $(m topics_list), "launcherTopicsList": $(m launch_topics_list),
  "apacheTopicsList": $(m apache_topics_list),
  "oursConsumer": $(m ours_consumer), "filterConsumer": $(m filter_consumer), "kcatConsumer": $(m kcat_consumer), "perfConsumer": $(m perf_consumer),
  "producerOneEvent": $(m first_send), "producerOneEventAppCds": $(m first_send_cds),
  "producerOneEventAppCdsC1": $(m first_send_cds_c1), "streamsInputConsumer": $(m streams_consumer),
  "streamsAtLeastOnce": $(m streams_alos), "streamsExactlyOnce": $(m streams_eos),
  "sqlWindowsToTheEnd": $(m sql_windows), "sqlStartUp": $(m sql_start), "sqlStartUpHandedOver": $(m sql_start_handed),
  "sqlFirstResult": $(m sql_first), "flinkClusterWindowsToTheEnd": $(m flink_windows), "flinkClusterFirstResult": $(m flink_first),
  "avroProducer": $AVRO_PRODUCER, "avroConsumer": $AVRO_CONSUMER, "jdbcSink100000Rows": $SINK_MS,
  "tlsProducer": $TLS_PRODUCER, "tlsConsumer": $TLS_CONSUMER},
 "filterOverPlainPerMille": $(m filter_ratio),
 "backup": {"millis": $(m backup), "overConsumerPerMille": $(m backup_ratio), "restoreMillis": $(m restore),
  "restoreOverProducerPerMille": $(m restore_ratio), "directoryKiB": $(m backup_kib)},
 "threeNodeClusterMillis": $CLUSTER_JSON,
 "tlsOverPlaintextPerMille": {"producer": $TLS_PRODUCER_RATIO, "consumer": $TLS_CONSUMER_RATIO},
 "avroOverJsonPerMille": {"producer": $AVRO_PRODUCER_RATIO, "consumer": $AVRO_CONSUMER_RATIO},
 "valueBytesPerEvent": {"json": ${JSON_BYTES:-null}, "avro": ${AVRO_BYTES:-null}},
 "streamsStateDirKiB": $(m streams_state_kb),
 "endToEndMillis": {"p50": $(m e2e_p50), "p99": $(m e2e_p99), "lastTenSecondsP50": $(m e2e_warm_p50),
  "lastTenSecondsP99": $(m e2e_warm_p99)}}
JSON
echo "Written to $OUT/results.json" >&2
