#!/usr/bin/env bash
# Benchmark of recovery-daemon-service (not part of verify): packages the service, starts it on port
# 18083 against database mythos_bench (created if missing; its "recovery" schema is dropped first: benchmark data only), with
# the scheduler's interval at 1 h so that only the benchmark triggers cycles, runs CycleBenchmark, stops it.
# Usage (from the repository root): recovery-daemon-service/bench/run.sh [zones] [beliefs]
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${BENCH_PORT:-18083}
DB=${BENCH_DB:-mythos_bench}
./mvnw -B -q -pl recovery-daemon-service -am package -DskipTests
psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE $DB"
psql -h 127.0.0.1 -U postgres -d "$DB" -qc 'DROP SCHEMA IF EXISTS recovery CASCADE' 2>/dev/null
java -Dquarkus.http.port="$PORT" \
     -Dquarkus.datasource.reactive.url="postgresql://localhost:5432/$DB" \
     -Dquarkus.datasource.jdbc.url="jdbc:postgresql://localhost:5432/$DB" \
     -Ddaemon.interval=1h -Dquarkus.log.level=WARN ${BENCH_JAVA_OPTS:-} \
     -jar recovery-daemon-service/target/quarkus-app/quarkus-run.jar > /tmp/daemon-bench-service.log 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fs "http://localhost:$PORT/q/health/ready" > /dev/null && break
  sleep 1
done
java recovery-daemon-service/bench/CycleBenchmark.java "http://localhost:$PORT" "${1:-1000}" "${2:-64}" "$SERVICE"
