#!/usr/bin/env bash
# End-to-end load benchmark: the distribution's launcher (bin/s3logger, its bundled runtime and its
# JVM flags; $JAVA_OPTS passes through) on the local store as a child process, driven by
# LoadGenerator with 1, 8, 64 and 1,000 connections, compact and pretty-printed, several runs
# each, next to `pigz -1 -p 2` (or `gzip -1` where pigz is missing) on the same data in the same
# run. Run after `mvn -B verify`:
#
#   it-tests/bench/load.sh [-runs N] [-total-mb MB] [-connections "1 8 64 1000"] [-variants "compact pretty"]
#                          [-rate MB_PER_S] [-store local|s3] [-segment-mb MB] [-launcher PATH] [-smoke]
#
# -launcher runs another distribution's bin/s3logger (e.g. one built from an earlier commit, for a
# before-and-after comparison on the same data); the data and the generator stay this tree's.
#
# Defaults: 3 runs of 1024 MB (about 1 GB: steady state, where start-up and the last seal weigh
# little) for each connection count and variant, about 6 minutes on 2 cores.
#
# The read and sealed intervals start at the same instant: when LoadGenerator, its JVM started
# and its data generated, begins sending (just before it opens its first connection; it prints
# that instant on the wall clock as start_epoch_ns, the clock of `date +%s%N`). Neither the
# program's start-up nor the generator's is counted. Per run it prints:
#   read MB/s      bytes sent / (start -> the program has closed every connection, having read
#                  each to its end; the generator's own clock)
#   sealed MB/s    bytes sent / (start -> the program's exit: as soon as the generator has printed
#                  its result, i.e. right after reading ends, the program gets SIGTERM, then seals,
#                  compresses and delivers everything and exits)
#   objects/s      objects sent over the sealed interval
#   cpu            the program's user+system CPU seconds from its start to the end of reading
#                  (read just before SIGTERM, so without the sealing after it), and per GB of input;
#                  "after listening": the same less the CPU spent up to the listening line (start-up)
#   peak rss       the program's VmHWM at the same moment
#   sigterm->exit  SIGTERM to the program's exit
#   reference      the reference compressor's MB/s (and its CPU seconds): `pigz -1 -p 2 -c`
#                  (`gzip -1 -c` where pigz is missing) from a file to /dev/null, timed in every
#                  run after the program has exited; the file holds what one connection sends
#                  for -total-mb (the variant's generated sample, repeated: the same data and
#                  volume as the run), written once per variant and read from the page cache
#   ratio          sealed MB/s / reference MB/s of the same run
# Then a median (min-max) summary.
#
# With -store s3 the program stores into S3Proxy (a second JVM, S3ProxyMain, keeping objects as
# files; emptied before each run, its CPU not counted) through the S3 adapter, with the settings
# users give for an S3-compatible server. -segment-mb (default 512) is the program's -mb: smaller
# segments are sealed and uploaded while the clients still send.
#
# With -rate, the connections together send at that many MB/s instead of at full speed, and each
# run also prints the ingest queue (s3logger_ingest_queue_bytes, sampled every 0.1 s from
# /metrics while the clients send): whether the writer keeps up with the framers at that rate.
set -euo pipefail
cd "$(dirname "$0")/../.."
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
runs=3; total_mb=1024; connection_counts="1 8 64 1000"; variants="compact pretty"; smoke=; rate=; store=local; segment_mb=512
launcher=distribution/target/s3logger/bin/s3logger
while [ $# -gt 0 ]; do
  case "$1" in
    -runs) runs=$2; shift 2 ;;
    -total-mb) total_mb=$2; shift 2 ;;
    -connections) connection_counts=$2; shift 2 ;;
    -variants) variants=$2; shift 2 ;;
    -rate) rate=$2; shift 2 ;;
    -store) store=$2; shift 2 ;;
    -segment-mb) segment_mb=$2; shift 2 ;;
    -launcher) launcher=$2; shift 2 ;;
    -smoke) smoke=1; runs=1; total_mb=4; connection_counts="1 8"; variants="compact pretty"; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
classes=it-tests/target/test-classes:domain/target/test-classes
[ -x "$launcher" ] || { echo "no $launcher: build first (mvn -B verify)" >&2; exit 1; }
work=$(mktemp -d)
pid=; generator_pid=; sampler_pid=
trap '[ -z "$pid" ] || kill -9 "$pid" 2>/dev/null || true; [ -z "$generator_pid" ] || kill -9 "$generator_pid" 2>/dev/null || true
      [ -z "$sampler_pid" ] || kill "$sampler_pid" 2>/dev/null || true; [ -z "$s3_pid" ] || kill -9 "$s3_pid" 2>/dev/null || true
      rm -rf "$work"' EXIT
case "$store" in
  local | s3) ;;
  *) echo "-store takes local or s3, not $store" >&2; exit 2 ;;
esac
source it-tests/bench/lib.sh
now() { date +%s%N; }
# The program's CPU seconds so far by kind of thread (from /proc/PID/task/*/stat), largest first.
thread_cpu() {
  for task in /proc/"$1"/task/*; do
    # utime and stime are fields 14 and 15; counted after the ")" that ends the name (field 2).
    awk -v name="$(cat "$task/comm")" '{ sub(/^.*\) /, ""); print name "\t" $12 "\t" $13 }' "$task/stat" 2>/dev/null
  done | awk -F'\t' -v t="$ticks" '{
      kind = "other"
      if ($1 ~ /^spool-compress/) kind = "compression"; else if ($1 ~ /^ForkJoinPool/) kind = "connections";
      else if ($1 ~ /^segment-writer/) kind = "writer"; else if ($1 ~ /^(GC|G1|Parallel)/) kind = "gc";
      else if ($1 ~ /^C[12] ?Comp/) kind = "jit"; else if ($1 ~ /^uploader/) kind = "delivery";
      cpu[kind] += ($(NF-1) + $NF) / t }
    END { for (k in cpu) printf "%s %.2f s\n", k, cpu[k] }' | sort -k2 -g -r | paste -sd, - | sed 's/,/, /g'
}
TIMEFORMAT='%3U %3S' # bash's `time`: the reference's user and system CPU seconds
ticks=$(getconf CLK_TCK)

echo "program: $launcher (JAVA_OPTS=${JAVA_OPTS:-}), store: $store, -mb $segment_mb"

reference_name="gzip -1"; reference=(gzip -1 -c)
if command -v pigz >/dev/null; then reference_name="pigz -1 -p 2"; reference=(pigz -1 -p 2 -c); fi

declare -A sealed_rates read_rates ratios reference_rates cpus_per_gb serving_cpus_per_gb peak_rss
for variant in $variants; do
  pretty=; [ "$variant" = pretty ] && pretty=-pretty
  "$java" -cp "$classes" io.s3logger.it.bench.LoadGenerator -write-sample "$work/reference-input" \
      -total-mb "$total_mb" $pretty >/dev/null
  reference_bytes=$(stat -c %s "$work/reference-input")
  cat "$work/reference-input" > /dev/null # into the page cache, if writing left any of it out
  for connections in $connection_counts; do
    for run in $(seq "$runs"); do
      rm -rf "$work/spool" "$work/objects" "$work/log"
      store_flags=(-local-store "$work/objects")
      if [ "$store" = s3 ]; then
        s3_start_or_empty
        store_flags=(-bucket bench)
      fi
      "$launcher" -addr 127.0.0.1:0 -dir "$work/spool" "${store_flags[@]}" -t 1h -mb "$segment_mb" \
          -metrics-addr 127.0.0.1:0 > "$work/log" 2>&1 &
      pid=$!
      for _ in $(seq 600); do grep -q 'listening on' "$work/log" 2>/dev/null && break; sleep 0.1; done
      port=$(grep -o 'listening on [^ ]*' "$work/log" | sed -E 's/.*:([0-9]+):?$/\1/')
      read -r -a stat < "/proc/$pid/stat"; startup_ticks=$((stat[13] + stat[14]))
      # The generator's line is read as soon as it is printed, not when its JVM has exited (which
      # takes a further ~0.3 s), so that SIGTERM follows the end of reading within milliseconds.
      if [ -n "$rate" ]; then
        metrics=$(grep -o 'on http://[^ ]*' "$work/log" | head -1 | sed 's/^on //')
        while kill -0 "$pid" 2>/dev/null; do
          curl -s "$metrics/metrics" | awk '/^s3logger_ingest_queue_bytes / { print $2 }'; sleep 0.1
        done > "$work/queue" &
        sampler_pid=$!
      fi
      exec {generator}< <(exec "$java" -cp "$classes" io.s3logger.it.bench.LoadGenerator -addr "127.0.0.1:$port" \
          -connections "$connections" -total-mb "$total_mb" $pretty ${rate:+-rate-mb "$rate"})
      generator_pid=$!
      IFS= read -r -u "$generator" line || true
      read -r -a stat < "/proc/$pid/stat"; utime=${stat[13]}; stime=${stat[14]}
      while read -r key value _; do [ "$key" = VmHWM: ] && rss_kb=$value; done < "/proc/$pid/status"
      threads=$(thread_cpu "$pid")
      [ -z "$sampler_pid" ] || { kill "$sampler_pid" 2>/dev/null; wait "$sampler_pid" 2>/dev/null || true; sampler_pid=; }
      term=$(now)
      kill -TERM "$pid"; wait "$pid" || true; pid=
      end=$(now)
      finish_run
      [ "$sent" -lt "$term" ] || { echo "the generator's start_epoch_ns is after the SIGTERM: $line" >&2; exit 1; }
      sealed_rate=$(awk -v b="$bytes" -v s="$sent" -v e="$end" 'BEGIN { printf "%.1f", b / 1e6 / ((e - s) / 1e9) }')
      ref_start=$(now)
      { time "${reference[@]}" < "$work/reference-input" > /dev/null 2>&3; } 3>&2 2> "$work/reference-time"
      ref_end=$(now)
      ref_cpu=$(awk '{ print $1 + $2 }' "$work/reference-time")
      ref_rate=$(awk -v b="$reference_bytes" -v s="$ref_start" -v e="$ref_end" 'BEGIN { printf "%.1f", b / 1e6 / ((e - s) / 1e9) }')
      ratio=$(awk -v a="$sealed_rate" -v r="$ref_rate" 'BEGIN { printf "%.2f", a / r }')
      cpu=$(awk -v u="$utime" -v s="$stime" -v t="$ticks" 'BEGIN { print (u + s) / t }')
      cpu_per_gb=$(awk -v c="$cpu" -v b="$bytes" 'BEGIN { printf "%.2f", c / (b / 1e9) }')
      serving_per_gb=$(awk -v u="$utime" -v s="$stime" -v l="$startup_ticks" -v t="$ticks" -v b="$bytes" \
          'BEGIN { printf "%.2f", (u + s - l) / t / (b / 1e9) }')
      printf '%-7s %4d conn run %d: read %7.1f MB/s, sealed %7.1f MB/s, %8.0f objects/s, cpu %6.1f s (%s s/GB; %s after listening), peak rss %5d MB, sigterm->exit %5.2f s, %s %6.1f MB/s (%d MB, cpu %.1f s), ratio %s\n' \
        "$variant" "$connections" "$run" "$read_rate" "$sealed_rate" \
        "$(awk -v o="$objects" -v s="$sent" -v e="$end" 'BEGIN { print o / ((e - s) / 1e9) }')" \
        "$cpu" "$cpu_per_gb" "$serving_per_gb" "$((rss_kb / 1024))" \
        "$(awk -v s="$term" -v e="$end" 'BEGIN { print (e - s) / 1e9 }')" "$reference_name" "$ref_rate" \
        "$((reference_bytes / 1000000))" "$ref_cpu" "$ratio"
      echo "        cpu by thread: $threads"
      [ -z "$rate" ] || awk '{ v = $1 / 1048576; n++; sum += v; if (v > max) max = v }
          END { printf "        ingest queue while sending: mean %.1f MiB, max %.1f MiB (%d samples)\n", sum / n, max, n }' "$work/queue"
      key="$variant $connections"
      sealed_rates[$key]+="$sealed_rate "; read_rates[$key]+="$read_rate "; ratios[$key]+="$ratio "
      cpus_per_gb[$key]+="$cpu_per_gb "; serving_cpus_per_gb[$key]+="$serving_per_gb "; peak_rss[$key]+="$((rss_kb / 1024)) "
      reference_rates[$variant]+="$ref_rate "
    done
  done
done

echo
echo "variant connections: sealed MB/s | read MB/s | ratio to $reference_name | CPU s per GB | the same after listening | peak RSS MB, median (min-max) of $runs runs"
for variant in $variants; do
  for connections in $connection_counts; do
    key="$variant $connections"
    echo "$key: $(summary ${sealed_rates[$key]}) | $(summary ${read_rates[$key]}) | $(summary ${ratios[$key]})" \
      "| $(summary ${cpus_per_gb[$key]}) | $(summary ${serving_cpus_per_gb[$key]}) | $(summary ${peak_rss[$key]})"
  done
  echo "$variant reference $reference_name MB/s: $(summary ${reference_rates[$variant]})"
done
s3_stop
[ -z "$smoke" ] || echo "smoke run complete"
