# Sourced by the scripts beside it: skip (exit 0 with a message) unless the given tools and the
# built distribution are there, and name the program's launcher (its own bundled runtime).
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
