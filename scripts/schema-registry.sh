#!/usr/bin/env bash
# A real schema registry without Docker: Apicurio Registry (Apache 2.0), in memory, with Confluent's
# API at http://127.0.0.1:PORT/apis/ccompat/v7 and global compatibility BACKWARD (Confluent's
# default; Apicurio's own is NONE). Fetched through Maven (the version is pinned in pom.xml) and run
# with a Java 21+ runtime. Runs in the foreground; Ctrl-C stops it.
#
#   scripts/schema-registry.sh [-h] [--port PORT] [--find-java]
#   --port       where it listens, on 127.0.0.1 only (default 8081)
#   --find-java  print the Java 21+ runtime it would use and exit (3 when there is none)
#   Java: $KAFKA_DEMO_JAVA21, $JAVA_HOME, the JDKs under /usr/lib/jvm, then java on the PATH.
set -euo pipefail

PORT=8081
FIND_JAVA=false
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --port) PORT="$2"; shift 2 ;;
    --find-java) FIND_JAVA=true; shift ;;
    *) echo "schema-registry.sh: unknown option $1 (see -h)" >&2; exit 2 ;;
  esac
done

java_version() { "$1" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ { print $2 }'; }
find_java() {
  local candidates=()
  [ -n "${KAFKA_DEMO_JAVA21:-}" ] && candidates+=("$KAFKA_DEMO_JAVA21/bin/java")
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
  for jdk in /usr/lib/jvm/*/; do candidates+=("${jdk}bin/java"); done
  command -v java >/dev/null && candidates+=("$(command -v java)")
  for java in "${candidates[@]}"; do
    [ -x "$java" ] || continue
    local version
    version=$(java_version "$java")
    if [ -n "$version" ] && [ "${version%%.*}" -ge 21 ]; then echo "$java"; return 0; fi
  done
  return 1
}

JAVA=$(find_java) || {
  echo "schema-registry.sh: Apicurio Registry needs Java 21 or newer, and none was found (set KAFKA_DEMO_JAVA21 to a JDK 21+)" >&2
  exit 3
}
if $FIND_JAVA; then echo "$JAVA"; exit 0; fi

cd "$(dirname "$0")/.."
APP=target/apicurio-registry
if [ ! -f "$APP/quarkus-run.jar" ]; then
  echo "Fetching Apicurio Registry through Maven (about 160 MB, once)..." >&2
  mvn -B -q dependency:unpack@apicurio-registry >&2
fi
echo "Schema registry: http://127.0.0.1:$PORT/apis/ccompat/v7 (Apicurio, in memory, BACKWARD; $JAVA)" >&2
exec "$JAVA" -Xmx512m -XX:TieredStopAtLevel=1 \
  -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$PORT" \
  -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port=0 \
  -Dquarkus.banner.enabled=false -Dquarkus.log.level=WARN \
  -Dapicurio.rules.global.compatibility=BACKWARD \
  -jar "$APP/quarkus-run.jar"
