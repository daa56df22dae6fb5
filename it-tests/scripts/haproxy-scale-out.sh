#!/usr/bin/env bash
# docs/scale-out.md, checked with Debian's HAProxy: two instances of s3logger on one local
# store behind HAProxy in TCP mode (it-tests/scripts/haproxy.cfg, ports rewritten), health from
# /readyz. Prints, and fails (exit 1) if it does not hold:
#   1. all objects sent through HAProxy are stored;
#   2. rolling restart, one instance at a time, while clients keep sending: objects lost;
#   3. with no instance up, HAProxy refuses: a client's connection is reset and its writes fail
#      (and, for comparison, what happens without the reject rule).
# Not part of the build. Run after `mvn -B verify`, with haproxy installed (apt-get install haproxy):
#   it-tests/scripts/haproxy-scale-out.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v haproxy >/dev/null; then
  echo "SKIPPED: haproxy is not installed (Debian/Ubuntu: apt-get install haproxy)"
  exit 0
fi
. it-tests/scripts/common.sh
require_tools curl socat nc

work=$(mktemp -d)
declare -A pid=()
haproxy_pid=
cleanup() {
  for p in "${pid[@]}" $haproxy_pid; do kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

base=$((20000 + RANDOM % 20000))
front=$base
declare -A port=([1]=$((base + 1)) [2]=$((base + 2)))
declare -A metrics=([1]=$((base + 3)) [2]=$((base + 4)))
sed -e "s/127.0.0.1:8080/127.0.0.1:$front/" \
    -e "s/127.0.0.1:8081 port 9465/127.0.0.1:${port[1]} port ${metrics[1]}/" \
    -e "s/127.0.0.1:8082 port 9466/127.0.0.1:${port[2]} port ${metrics[2]}/" \
    -e "s|^    maxconn 4096|    maxconn 4096\n    stats socket $work/haproxy.sock level admin|" \
    it-tests/scripts/haproxy.cfg > "$work/haproxy.cfg"

start_instance() {
  "$s3logger" -addr "127.0.0.1:${port[$1]}" -metrics-addr "127.0.0.1:${metrics[$1]}" \
    -dir "$work/spool-$1" -local-store "$work/objects" -t 1h -log-level WARN >>"$work/s3logger-$1.log" 2>&1 &
  pid[$1]=$!
}
stop_instance() {
  kill -TERM "${pid[$1]}"
  wait "${pid[$1]}" || fail "instance $1 exited with $?"
}
ready() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${metrics[$1]}/readyz")" = 200 ]; }
servers_up() { echo "show stat" | socat - "unix:$work/haproxy.sock" 2>/dev/null | awk -F, '$1 == "s3logger" && $2 ~ /^s3logger-/ && $18 ~ /^UP/' | wc -l; }
stats_ready() { echo "show info" | socat - "unix:$work/haproxy.sock" >/dev/null 2>&1; }
up_is() { haproxy_alive; [ "$(servers_up)" -eq "$1" ]; }

# Sends objects "$2".."$3" of run "$1" on one connection; exit status 0 if nc reported no error.
send() {
  local run=$1 from=$2 to=$3
  for ((i = from; i <= to; i++)); do printf '{"run":"%s","seq":%d,"pad":"%s"}\n' "$run" "$i" "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"; done \
    | nc -N 127.0.0.1 "$front" >/dev/null 2>&1
}
stored() { zcat "$work"/objects/dt=*/*.json.gz 2>/dev/null | grep -c "\"run\":\"$1\"" || true; }

start_instance 1
start_instance 2
haproxy -f "$work/haproxy.cfg" -db >"$work/haproxy.log" 2>&1 &
haproxy_pid=$!
haproxy_alive() { kill -0 "$haproxy_pid" 2>/dev/null || fail "haproxy exited: $(cat "$work/haproxy.log")"; }
await ready 1
await ready 2
await up_is 2
echo "HAProxy $(haproxy -v | head -1 | awk '{print $3}') in front of 2 instances, both UP"

# 1. Everything through HAProxy is stored.
senders=()
for ((c = 0; c < 20; c++)); do
  send steady $((c * 500)) $((c * 500 + 499)) &
  senders+=($!)
done
for s in "${senders[@]}"; do wait "$s" || fail "a steady sender reported an error"; done

# 2. Rolling restart while a client keeps opening connections of 100 objects each.
(
  c=0
  while [ ! -f "$work/stop-client" ]; do
    if send rolling $((c * 100)) $((c * 100 + 99)); then echo ok; else echo failed; fi
    c=$((c + 1))
  done >"$work/rolling-client"
) &
client=$!
for i in 1 2; do
  start=$SECONDS
  stop_instance "$i"
  start_instance "$i"
  await ready "$i"
  await up_is 2
  echo "instance $i restarted and back in HAProxy after $((SECONDS - start)) s"
done
touch "$work/stop-client"
wait "$client"

# 3. No instance up.
stop_instance 1
stop_instance 2
t0=$SECONDS
await up_is 0
echo "HAProxy marked both instances DOWN $((SECONDS - t0)) s after they stopped"
probe() {
  # Connects, then writes an object every 0.5 s for 3 s: prints what the client saw.
  trap "" PIPE
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$front") 2>/dev/null; then echo "connect refused"; return; fi
  exec 3<>"/dev/tcp/127.0.0.1/$front"
  local writes=() start=$SECONDS
  for ((w = 1; w <= 6; w++)); do
    if printf '{"probe":%d}\n' "$w" >&3 2>/dev/null; then writes+=(ok); else writes+=(failed); fi
    sleep 0.5
  done
  exec 3>&- 2>/dev/null || true
  echo "connected; writes every 0.5 s: ${writes[*]}"
}
# nc -N writes its whole input and half-closes: it can only notice a reset that came first.
nc_probe() {
  local errors=0
  for ((c = 0; c < 50; c++)); do send probe $((c * 10)) $((c * 10 + 9)) || errors=$((errors + 1)); done
  echo "nc -N: $errors of 50 connections (10 objects each) reported an error"
}
with_rule="$(probe); $(nc_probe)"
echo "no instance up, with the reject rule: $with_rule"

sent_steady=10000
stored_steady=$(stored steady)
ok=$(grep -c '^ok$' "$work/rolling-client" || true)
failed=$(grep -c '^failed$' "$work/rolling-client" || true)
stored_rolling=$(stored rolling)
echo "1. steady: sent $sent_steady through HAProxy, stored $stored_steady"
echo "2. rolling restart: $((ok + failed)) connections of 100 objects ($ok without error, $failed with an error reported by nc);" \
  "sent without error $((ok * 100)), stored $stored_rolling"

# The same with the reject rule removed, for comparison.
kill "$haproxy_pid"; wait "$haproxy_pid" 2>/dev/null || true
grep -v "tcp-request connection reject" "$work/haproxy.cfg" >"$work/haproxy-no-reject.cfg"
haproxy -f "$work/haproxy-no-reject.cfg" -db >"$work/haproxy.log" 2>&1 &
haproxy_pid=$!
await stats_ready
await up_is 0
without_rule="$(probe); $(nc_probe)"
echo "no instance up, without the reject rule: $without_rule"

[ "$stored_steady" -eq "$sent_steady" ] || fail "steady: stored $stored_steady of $sent_steady"
case "$with_rule" in
  *"nc -N: 0 of 50"*) fail "with no instance up and the reject rule, no nc connection saw an error" ;;
esac
echo "OK"
