#!/usr/bin/env bash
# Load benchmark: the fat jar on the local store, driven by LoadGenerator with 1 and 8
# connections, several runs each, next to `gzip -1` (and `pigz -1 -p 2` if installed) on the
# same data in the same run. Run after `mvn -B verify`:
#
#   it-tests/bench/load.sh [runs]
#
# Prints one line per run and a median (min-max) summary per connection count.
set -euo pipefail
cd "$(dirname "$0")/../.."
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
runs="${1:-3}"
classes=it-tests/target/test-classes
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
pid=

"$java" -cp "$classes" io.s3logger.it.bench.LoadGenerator -write-sample "$work/sample.ndjson" -sample-mb 64 >/dev/null
sample_bytes=$(stat -c %s "$work/sample.ndjson")

rate() { # command... -> MB/s of compressing the sample
  local start end
  start=$(date +%s.%N); "$@" < "$work/sample.ndjson" > /dev/null; end=$(date +%s.%N)
  echo "$sample_bytes $start $end" | awk '{ printf "%.1f", $1 / 1e6 / ($3 - $2) }'
}

summary() { # label values... -> median (min-max)
  local label=$1; shift
  printf '%s\n' "$@" | sort -g | awk -v label="$label" '{ v[NR] = $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%-24s median %7.1f MB/s  (min %.1f, max %.1f, %d runs)\n", label, m, v[1], v[NR], NR }'
}

declare -A results
for connections in 1 8; do
  repeats=$(( connections == 1 ? 4 : 1 ))
  for run in $(seq "$runs"); do
    rm -rf "$work/spool" "$work/objects" "$work/log"
    "$java" -Xmx1g -jar bootstrap/target/s3logger.jar -addr 127.0.0.1:0 -dir "$work/spool" \
        -local-store "$work/objects" -t 1h > "$work/log" 2>&1 &
    pid=$!
    for _ in $(seq 600); do grep -q 'listening on' "$work/log" && break; sleep 0.1; done
    port=$(grep -o 'listening on [^ ]*' "$work/log" | sed -E 's/.*:([0-9]+):?$/\1/')
    line=$("$java" -cp "$classes" io.s3logger.it.bench.LoadGenerator -addr "127.0.0.1:$port" \
        -connections "$connections" -sample-mb 64 -repeats "$repeats")
    kill -TERM "$pid"; wait "$pid" || true
    gzip_rate=$(rate gzip -1 -c)
    pigz_rate=$(command -v pigz >/dev/null && rate pigz -1 -p 2 -c || echo n/a)
    echo "run $run: $line gzip-1 MB/s=$gzip_rate pigz-1-p2 MB/s=$pigz_rate"
    results[$connections]+="$(echo "$line" | sed 's/.*MB\/s=\([0-9.]*\).*/\1/') "
    results[gzip]+="$gzip_rate "
    [ "$pigz_rate" = n/a ] || results[pigz]+="$pigz_rate "
  done
done

echo
summary "s3logger, 1 connection" ${results[1]}
summary "s3logger, 8 connections" ${results[8]}
summary "gzip -1 (reference)" ${results[gzip]}
[ -z "${results[pigz]:-}" ] || summary "pigz -1 -p 2 (reference)" ${results[pigz]}
