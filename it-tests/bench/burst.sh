#!/usr/bin/env bash
# Start-up and first-burst benchmark: per run, the distribution's launcher (bin/s3logger, its
# bundled runtime, its JVM flags and AOT cache; $JAVA_OPTS passes through) started fresh on the
# local store (or S3, below), and as soon as it listens, LoadGenerator sends a burst (default
# 200 MB over 8 connections, the same generated events as load.sh) at full speed; SIGTERM right
# after the program has read everything, as in load.sh. Run after building the distribution
# (`mvn -B -q package -DskipTests` is enough):
#
#   it-tests/bench/burst.sh [-runs N] [-total-mb MB] [-connections N] [-store local|s3] [-bucket NAME]
#                           [-launcher PATH]...
#
# With -store s3, the program stores into S3Proxy on loopback (as load.sh -store s3 does: a second
# JVM, emptied before each run, its CPU not counted), as the S3 path's start-up (its client) and
# uploads cost more. With -bucket, the program stores into that bucket instead of the local store: an S3-compatible
# server of your own (S3Proxy, MinIO) named by the AWS_* variables (AWS_ENDPOINT_URL_S3,
# AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), which pass through, as the S3 path's
# start-up (its client) and uploads cost more.
#
# With several -launcher options (e.g. a distribution built from another commit, copied
# elsewhere) the runs interleave: A B A B ..., each launcher run -runs times. Per run it prints:
#   listening      start -> the "Listening for JSON objects" log line (its own millisecond
#                  timestamp), where start is the instant just before the launcher is executed
#   accepting      start -> the port accepts a TCP connection (polled every few milliseconds on
#                  a port chosen beforehand; a poll costs little but adds up to its interval)
#   ready          start -> the "s3logger ... listening on" line: the listener, recovery, the
#                  writer and /metrics are up
#   cpu@listening  the process's user+system CPU seconds when the listening line was seen
#   read MB/s      bytes sent / (the generator starts sending -> the program has read every
#                  connection to its end), the generator's clock
#   sealed MB/s    bytes sent / (the generator starts sending -> the program's exit, having
#                  sealed and delivered everything after SIGTERM)
#   gap            the program's start -> the generator starts sending (its JVM and data generation)
#   cpu total      the process's user+system CPU seconds over its whole life, start to exit
#                  (GNU time; includes the launcher script's own few milliseconds)
#   peak rss       its maximum resident set size over its whole life (GNU time)
# Then a median (min-max) summary per launcher.
set -euo pipefail
cd "$(dirname "$0")/../.."
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
runs=3; total_mb=200; connections=8; launchers=(); bucket=; s3=
while [ $# -gt 0 ]; do
  case "$1" in
    -runs) runs=$2; shift 2 ;;
    -total-mb) total_mb=$2; shift 2 ;;
    -connections) connections=$2; shift 2 ;;
    -launcher) launchers+=("$2"); shift 2 ;;
    -bucket) bucket=$2; shift 2 ;;
    -store) case $2 in local) ;; s3) s3=1; bucket=bench ;; *) echo "-store takes local or s3" >&2; exit 2 ;; esac; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ ${#launchers[@]} -gt 0 ] || launchers=(distribution/target/s3logger/bin/s3logger)
for launcher in "${launchers[@]}"; do
  [ -x "$launcher" ] || { echo "no $launcher: build first (mvn -B -q package -DskipTests)" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time, Debian package time) is needed" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is needed (to pick a free port)" >&2; exit 1; }
classes=it-tests/target/test-classes:domain/target/test-classes
work=$(mktemp -d)
timer_pid=; pid=; generator_pid=
trap '[ -z "$pid" ] || kill -9 "$pid" 2>/dev/null || true; [ -z "$generator_pid" ] || kill -9 "$generator_pid" 2>/dev/null || true
      [ -z "$s3_pid" ] || kill -9 "$s3_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
source it-tests/bench/lib.sh
now() { date +%s%N; }
ticks=$(getconf CLK_TCK)
# A port free now: bound by the kernel's choice, then released (another process could take it in
# between; the run then fails on the bind, visibly).
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
ms_since() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.3f", (e - s) / 1e9 }'; }
# A log line's own timestamp (2026-12-01T17:45:17.180Z ...) in nanoseconds since the epoch.
log_time() { date -d "$(grep -m1 -- "$1" "$work/log" | cut -d' ' -f1)" +%s%N; }

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); JAVA_OPTS=${JAVA_OPTS:-}; store: ${bucket:+bucket }${bucket:-local}"
declare -A listening accepting ready cpu_listening read_rates sealed_rates gaps cpu_total rss
for run in $(seq "$runs"); do
  for launcher in "${launchers[@]}"; do
    rm -rf "$work/spool" "$work/objects" "$work/log" "$work/time"
    store=(-local-store "$work/objects"); [ -z "$bucket" ] || store=(-bucket "$bucket")
    [ -z "$s3" ] || s3_start_or_empty
    port=$(free_port)
    start=$(now)
    /usr/bin/time -f '%U %S %M' -o "$work/time" "$launcher" -addr "127.0.0.1:$port" -dir "$work/spool" \
        "${store[@]}" -t 1h -mb 512 -metrics-addr 127.0.0.1:0 > "$work/log" 2>&1 &
    timer_pid=$!
    accepted=; seen=; deadline=$((start + 60000000000))
    while [ -z "$seen" ] || [ -z "$accepted" ]; do
      [ "$(now)" -lt "$deadline" ] || { echo "$launcher did not start within 60 s:"; cat "$work/log"; exit 1; }
      if [ -z "$accepted" ] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then accepted=$(now); fi
      if [ -z "$seen" ] && grep -q 's3logger .* listening on' "$work/log" 2>/dev/null; then
        pid=$(pgrep -P "$timer_pid" | head -1)
        read -r -a stat < "/proc/$pid/stat"
        cpu_at_listening=$(awk -v u="${stat[13]}" -v s="${stat[14]}" -v t="$ticks" 'BEGIN { printf "%.2f", (u + s) / t }')
        seen=1
      fi
      sleep 0.002
    done
    exec {generator}< <(exec "$java" -cp "$classes" io.s3logger.it.bench.LoadGenerator -addr "127.0.0.1:$port" \
        -connections "$connections" -total-mb "$total_mb")
    generator_pid=$!
    IFS= read -r -u "$generator" line || true
    kill -TERM "$pid"; wait "$timer_pid" || true; pid=; timer_pid=
    end=$(now)
    finish_run
    sealed_rate=$(awk -v b="$bytes" -v s="$sent" -v e="$end" 'BEGIN { printf "%.1f", b / 1e6 / ((e - s) / 1e9) }')
    read -r user system max_kb < <(tail -1 "$work/time")
    cpu=$(awk -v u="$user" -v s="$system" 'BEGIN { printf "%.2f", u + s }')
    l=$(ms_since "$start" "$(log_time 'Listening for JSON objects')"); a=$(ms_since "$start" "$accepted")
    r=$(ms_since "$start" "$(log_time 's3logger .* listening on')"); g=$(ms_since "$start" "$sent")
    printf '%s run %d: listening %s s, accepting %s s, ready %s s, cpu@listening %s s; read %6.1f MB/s, sealed %6.1f MB/s (gap %s s); cpu total %s s, peak rss %d MB\n' \
      "$launcher" "$run" "$l" "$a" "$r" "$cpu_at_listening" "$read_rate" "$sealed_rate" "$g" "$cpu" "$((max_kb / 1024))"
    listening[$launcher]+="$l "; accepting[$launcher]+="$a "; ready[$launcher]+="$r "
    cpu_listening[$launcher]+="$cpu_at_listening "; read_rates[$launcher]+="$read_rate "
    sealed_rates[$launcher]+="$sealed_rate "; gaps[$launcher]+="$g "; cpu_total[$launcher]+="$cpu "
    rss[$launcher]+="$((max_kb / 1024)) "
  done
done

echo
echo "median (min-max) of $runs runs, $total_mb MB over $connections connections; load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
for launcher in "${launchers[@]}"; do
  echo "$launcher:"
  echo "  start -> listening s $(summary ${listening[$launcher]}) | accepting s $(summary ${accepting[$launcher]})" \
    "| ready s $(summary ${ready[$launcher]}) | cpu at listening s $(summary ${cpu_listening[$launcher]})"
  echo "  burst: read MB/s $(summary ${read_rates[$launcher]}) | sealed MB/s $(summary ${sealed_rates[$launcher]})" \
    "| start -> sending s $(summary ${gaps[$launcher]}) | cpu total s $(summary ${cpu_total[$launcher]})" \
    "| peak rss MB $(summary ${rss[$launcher]})"
done
s3_stop
