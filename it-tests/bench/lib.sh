# Sourced by load.sh and burst.sh: what both need.

summary() { # values... -> "median (min-max)"
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.2f (%.2f-%.2f)", m, v[1], v[NR] }'
}

# After the program's exit: closes the generator's output (fd $generator, process $generator_pid),
# fails unless the generator succeeded and the program's log ($work/log) says it delivered
# everything, and reads the generator's result line ($line) into bytes, objects, read_rate and
# sent (when sending began, nanoseconds since the epoch).
finish_run() {
  exec {generator}<&-
  wait "$generator_pid" || { echo "the load generator failed: $line" >&2; exit 1; }; generator_pid=
  grep -q 'Shutdown complete: every segment delivered' "$work/log" || { echo "run did not deliver everything:"; cat "$work/log"; exit 1; }
  bytes=$(echo "$line" | sed -E 's/.*bytes=([0-9]+).*/\1/')
  objects=$(echo "$line" | sed -E 's/.*objects=([0-9]+) .*/\1/')
  read_rate=$(echo "$line" | sed -E 's/.*MB\/s=([0-9.]+).*/\1/')
  sent=$(echo "$line" | sed -nE 's/.*start_epoch_ns=([0-9]+).*/\1/p')
  [ -n "$sent" ] || { echo "no start_epoch_ns in the generator's line: $line" >&2; exit 1; }
}

# S3Proxy (S3ProxyMain, a second JVM) on files under $work/s3, serving the bucket "bench", for the
# program to store into through its S3 adapter. Needs $java and $work; sets s3_pid and exports the
# AWS_* variables the program reads.

s3_pid=
# Starts the server once; later calls only empty the bucket (the previous run's objects).
s3_start_or_empty() {
  if [ -n "$s3_pid" ]; then
    rm -rf "${work:?}/s3/bench/"*
    return
  fi
  mkdir -p "$work/s3"
  exec {s3_input}> >(exec "$java" -cp "$(cat it-tests/target/test-classpath.txt):it-tests/target/test-classes" \
      io.s3logger.it.bench.S3ProxyMain "$work/s3" > "$work/s3.log" 2>&1)
  s3_pid=$!
  for _ in $(seq 1200); do grep -q '^endpoint=' "$work/s3.log" 2>/dev/null && break; sleep 0.1; done
  grep -q '^endpoint=' "$work/s3.log" || { echo "S3Proxy did not start within 2 minutes:"; cat "$work/s3.log"; exit 1; }
  export AWS_ACCESS_KEY_ID=AKIDS3LOGGERTEST AWS_SECRET_ACCESS_KEY=s3logger-test-secret-0123456789abcdef \
    AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
  AWS_ENDPOINT_URL_S3=$(sed -n 's/^endpoint=//p' "$work/s3.log"); export AWS_ENDPOINT_URL_S3
}
# Stops the server: it ends when its input closes.
s3_stop() {
  [ -n "$s3_pid" ] || return 0
  exec {s3_input}>&-
  wait "$s3_pid" 2>/dev/null || true; s3_pid=
}
