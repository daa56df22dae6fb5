#!/usr/bin/env bash
# docs/clients.md's rsyslog recipe (it-tests/scripts/rsyslog-s3logger.conf), checked with
# Debian's rsyslogd: 10,000 syslog messages go into rsyslog over TCP, omfwd forwards them as JSON
# to s3logger on the local store, which is restarted (SIGTERM) half-way; every message must be
# stored exactly once with its exact text. Prints the figures; exit 1 if it does not hold.
# Not part of the build. Run after `mvn -B verify`, with rsyslog installed (apt-get install rsyslog):
#   it-tests/scripts/rsyslog-omfwd.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

rsyslogd=$(command -v rsyslogd || echo /usr/sbin/rsyslogd)
if [ ! -x "$rsyslogd" ]; then
  echo "SKIPPED: rsyslogd is not installed (Debian/Ubuntu: apt-get install rsyslog)"
  exit 0
fi
. it-tests/scripts/common.sh
require_tools nc python3

work=$(mktemp -d)
s3logger_pid=
rsyslog_pid=
cleanup() {
  for p in $s3logger_pid $rsyslog_pid; do kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

base=$((20000 + RANDOM % 20000))
in_port=$base
out_port=$((base + 1))
mkdir -p "$work/rsyslog"
{
  echo "global(workDirectory=\"$work/rsyslog\")"
  echo "module(load=\"imtcp\")"
  echo "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"$in_port\")"
  sed -e "s/target=\"localhost\" port=\"8080\"/target=\"127.0.0.1\" port=\"$out_port\"/" it-tests/scripts/rsyslog-s3logger.conf
} >"$work/rsyslog.conf"
"$rsyslogd" -N1 -f "$work/rsyslog.conf" >"$work/rsyslog-check.log" 2>&1 || fail "rsyslogd rejects the config: $(cat "$work/rsyslog-check.log")"

start_s3logger() {
  "$s3logger" -addr "127.0.0.1:$out_port" -metrics-addr= -dir "$work/spool" \
    -local-store "$work/objects" -t 1h >>"$work/s3logger.log" 2>&1 &
  s3logger_pid=$!
}
listening() { grep -q "listening on" "$work/s3logger.log"; }
# Messages "$1".."$2" into rsyslog's TCP input, one connection.
send() {
  for ((i = $1; i <= $2; i++)); do
    printf '<14>Dec  1 15:00:00 testhost app[42]: event %05d caf\xc3\xa9 "quoted" \xc3\xbc \\ back\n' "$i"
  done | nc -N 127.0.0.1 "$in_port"
}

start_s3logger
await listening
"$rsyslogd" -n -f "$work/rsyslog.conf" -i "$work/rsyslog.pid" >"$work/rsyslog.log" 2>&1 &
rsyslog_pid=$!
rsyslog_listening() { (exec 3<>"/dev/tcp/127.0.0.1/$in_port") 2>/dev/null; }
await rsyslog_listening
echo "rsyslogd $("$rsyslogd" -v | head -1 | awk '{print $2}' | tr -d ,) forwarding to s3logger"

send 0 4999
sleep 1 # let rsyslog forward the first half before the restart (a measurement, not a wait for a result)
kill -TERM "$s3logger_pid"; wait "$s3logger_pid" || fail "s3logger exited with $?"
send 5000 9999 # while s3logger is down: rsyslog keeps them in its queue
start_s3logger
await listening
forwarded() { [ "$(zcat "$work"/spool/*.gz "$work"/spool/.*.gz "$work"/objects/dt=*/*.gz 2>/dev/null | grep -c '"program":"app"' || true)" -ge 10000 ]; }
deadline=$((SECONDS + 60))
until forwarded || [ $SECONDS -ge $deadline ]; do sleep 0.5; done
kill -TERM "$rsyslog_pid"; wait "$rsyslog_pid" || true
kill -TERM "$s3logger_pid"; wait "$s3logger_pid" || fail "s3logger exited with $?"

zcat "$work"/objects/dt=*/*.json.gz >"$work/stored.jsonl"
python3 - "$work/stored.jsonl" <<'PY'
import json, sys
expected = {'event %05d caf\u00e9 "quoted" \u00fc \\ back' % i for i in range(10000)}
stored = [json.loads(line)["message"].strip() for line in open(sys.argv[1], encoding="utf-8") if '"program":"app"' in line]
unique = set(stored)
print("stored %d of 10000 (%d unique, %d duplicates, %d unexpected)"
      % (len(expected & unique), len(unique), len(stored) - len(unique), len(unique - expected)))
missing = sorted(expected - unique)
if missing:
    print("missing:", missing[:5])
sys.exit(0 if not missing and not (unique - expected) else 1)
PY
echo OK
