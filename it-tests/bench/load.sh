#!/usr/bin/env bash
# End-to-end load benchmark: the fat jar on the local store as a child process, driven by
# LoadGenerator with 1, 8, 64 and 1,000 connections, compact and pretty-printed, several runs
# each, next to `pigz -1 -p 2` (or `gzip -1` where pigz is missing) on the same data in the same
# run. Run after `mvn -B verify`:
#
#   it-tests/bench/load.sh [-runs N] [-total-mb MB] [-connections "1 8 64 1000"] [-variants "compact pretty"] [-smoke]
#
# Per run it prints: MB/s read (until the program has read every connection to its end), MB/s
# sealed (until the program, stopped by SIGTERM right then, has sealed and delivered everything
# and exited), objects/s, CPU seconds, peak RSS, SIGTERM-to-exit time, and the ratio of the
# sealed rate to the reference compressor's rate. Then a median (min-max) summary.
set -euo pipefail
cd "$(dirname "$0")/../.."
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
runs=3; total_mb=256; connection_counts="1 8 64 1000"; variants="compact pretty"; smoke=
while [ $# -gt 0 ]; do
  case "$1" in
    -runs) runs=$2; shift 2 ;;
    -total-mb) total_mb=$2; shift 2 ;;
    -connections) connection_counts=$2; shift 2 ;;
    -variants) variants=$2; shift 2 ;;
    -smoke) smoke=1; runs=1; total_mb=4; connection_counts="1 8"; variants="compact pretty"; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
classes=it-tests/target/test-classes:domain/target/test-classes
jar=bootstrap/target/s3logger.jar
work=$(mktemp -d)
pid=
trap '[ -z "$pid" ] || kill -9 "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
now() { date +%s%N; }
ticks=$(getconf CLK_TCK)

reference_name="gzip -1"; reference=(gzip -1 -c)
if command -v pigz >/dev/null; then reference_name="pigz -1 -p 2"; reference=(pigz -1 -p 2 -c); fi

declare -A sealed_rates read_rates ratios reference_rates
for variant in $variants; do
  pretty=; [ "$variant" = pretty ] && pretty=-pretty
  "$java" -cp "$classes" io.s3logger.it.bench.LoadGenerator -write-sample "$work/sample" -total-mb 64 $pretty >/dev/null
  sample_bytes=$(stat -c %s "$work/sample")
  for connections in $connection_counts; do
    for run in $(seq "$runs"); do
      rm -rf "$work/spool" "$work/objects" "$work/log"
      "$java" -Xmx256m -XX:+UseParallelGC -jar "$jar" -addr 127.0.0.1:0 -dir "$work/spool" \
          -local-store "$work/objects" -t 1h -mb 512 > "$work/log" 2>&1 &
      pid=$!
      for _ in $(seq 600); do grep -q 'listening on' "$work/log" && break; sleep 0.1; done
      port=$(grep -o 'listening on [^ ]*' "$work/log" | sed -E 's/.*:([0-9]+):?$/\1/')
      start=$(now)
      line=$("$java" -cp "$classes" io.s3logger.it.bench.LoadGenerator -addr "127.0.0.1:$port" \
          -connections "$connections" -total-mb "$total_mb" $pretty)
      read -r utime stime < <(awk '{ print $14, $15 }' "/proc/$pid/stat")
      rss_kb=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status")
      term=$(now)
      kill -TERM "$pid"; wait "$pid" || true; pid=
      end=$(now)
      grep -q 'Shutdown complete: every segment delivered' "$work/log" || { echo "run did not deliver everything:"; cat "$work/log"; exit 1; }
      bytes=$(echo "$line" | sed -E 's/.*bytes=([0-9]+).*/\1/')
      objects=$(echo "$line" | sed -E 's/.*objects=([0-9]+) .*/\1/')
      read_rate=$(echo "$line" | sed -E 's/.*MB\/s=([0-9.]+).*/\1/')
      sealed_rate=$(awk -v b="$bytes" -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", b / 1e6 / ((e - s) / 1e9) }')
      ref_start=$(now); "${reference[@]}" < "$work/sample" > /dev/null; ref_end=$(now)
      ref_rate=$(awk -v b="$sample_bytes" -v s="$ref_start" -v e="$ref_end" 'BEGIN { printf "%.1f", b / 1e6 / ((e - s) / 1e9) }')
      ratio=$(awk -v a="$sealed_rate" -v r="$ref_rate" 'BEGIN { printf "%.2f", a / r }')
      printf '%-7s %4d conn run %d: read %7.1f MB/s, sealed %7.1f MB/s, %8.0f objects/s, cpu %6.1f s, peak rss %5d MB, sigterm->exit %5.2f s, %s %6.1f MB/s, ratio %s\n' \
        "$variant" "$connections" "$run" "$read_rate" "$sealed_rate" \
        "$(awk -v o="$objects" -v s="$start" -v e="$end" 'BEGIN { print o / ((e - s) / 1e9) }')" \
        "$(awk -v u="$utime" -v s="$stime" -v t="$ticks" 'BEGIN { print (u + s) / t }')" "$((rss_kb / 1024))" \
        "$(awk -v s="$term" -v e="$end" 'BEGIN { print (e - s) / 1e9 }')" "$reference_name" "$ref_rate" "$ratio"
      key="$variant $connections"
      sealed_rates[$key]+="$sealed_rate "; read_rates[$key]+="$read_rate "; ratios[$key]+="$ratio "
      reference_rates[$variant]+="$ref_rate "
    done
  done
done

summary() { # values... -> "median (min-max)"
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.2f (%.2f-%.2f)", m, v[1], v[NR] }'
}
echo
echo "variant connections: sealed MB/s | read MB/s | ratio to $reference_name, median (min-max) of $runs runs"
for variant in $variants; do
  for connections in $connection_counts; do
    key="$variant $connections"
    echo "$key: $(summary ${sealed_rates[$key]}) | $(summary ${read_rates[$key]}) | $(summary ${ratios[$key]})"
  done
  echo "$variant reference $reference_name MB/s: $(summary ${reference_rates[$variant]})"
done
[ -z "$smoke" ] || echo "smoke run complete"
