# Sourced by the scripts beside it: skip (exit 0 with a message) unless the given tools and the
# built distribution are there, name the program's launcher (its own bundled runtime), and give
# the steps' helpers fail and await (they read $work, which each script sets).
require_tools() {
  for tool in "$@"; do
    if ! command -v "$tool" >/dev/null; then
      echo "SKIPPED: $tool is not installed"
      exit 0
    fi
  done
}

s3logger=distribution/target/s3logger/bin/s3logger
if [ ! -x "$s3logger" ]; then
  echo "SKIPPED: $s3logger is missing; build first (mvn -B verify)"
  exit 0
fi

# A step failed: say which, show the end of every log under $work, and stop.
fail() {
  echo "FAILED: $*"
  tail -n 5 "$work"/*.log 2>/dev/null
  exit 1
}

# Polls "$@" every 0.2 s for up to 60 s.
await() {
  local deadline=$((SECONDS + 60))
  until "$@"; do
    [ $SECONDS -lt $deadline ] || fail "timed out waiting for: $*"
    sleep 0.2
  done
}
