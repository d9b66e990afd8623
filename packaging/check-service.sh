#!/usr/bin/env bash
# Checks netscope.service: `systemd-analyze verify` passes, and the binary started under the
# unit's restrictions serves a scrape that promtool accepts with every collector succeeding.
# With systemd running, the restrictions are the unit's own (systemd-run with its [Service]
# properties); without it (a container, this CI), the ones a process can impose on itself:
# an unprivileged uid from systemd's DynamicUser range, empty capability sets (bounding,
# inheritable, ambient), no_new_privs, the unit's fd limit, and a read-only root in a
# private mount namespace (ProtectSystem=strict). The seccomp and address-family filters
# need systemd and are not emulated.
# Usage: packaging/check-service.sh UNIT [BINARY]   (needs root)
set -euo pipefail
unit=$1
binary=${2:-/usr/bin/netscope}
port=29199
fail() { echo "check-service: $*" >&2; exit 1; }
value() { sed -n "s/^$1=//p" "$unit" | tail -1; }

verify=$(systemd-analyze verify "$unit" 2>&1) || fail "systemd-analyze verify: $verify"
# verify prints warnings but exits 0 for some of them: treat any output about the unit as fatal.
if grep -F "$(basename "$unit")" <<< "$verify"; then fail "systemd-analyze verify warns about the unit"; fi
[ -z "$(value CapabilityBoundingSet)" ] || fail "the check emulates an empty CapabilityBoundingSet only"

if [ -d /run/systemd/system ]; then
    properties=()
    while IFS= read -r line; do
        case $line in
            ''|'#'*|'['*|ExecStart=*|EnvironmentFile=*|Restart=*|RestartSec=*|Type=*) ;;
            *) properties+=(-p "$line") ;;
        esac
    done < <(sed -n '/^\[Service\]/,/^\[/p' "$unit")
    systemd-run --unit=netscope-check --collect "${properties[@]}" "$binary" serve --listen "127.0.0.1:$port" >/dev/null
    trap 'systemctl stop netscope-check >/dev/null 2>&1 || true' EXIT
    pid=""
    for _ in $(seq 50); do
        pid=$(systemctl show -p MainPID --value netscope-check); [ "${pid:-0}" != 0 ] && break; sleep 0.1
    done
    how="systemd-run with the unit's [Service] properties"
else
    uid=61184  # the first uid of systemd's DynamicUser range
    nofile=$(value LimitNOFILE)
    unshare --mount --propagation private \
        sh -c 'mount -o remount,bind,ro / && exec "$@"' sh \
        prlimit --nofile="$nofile" \
        setpriv --reuid=$uid --regid=$uid --clear-groups --no-new-privs \
            --inh-caps=-all --ambient-caps=-all --bounding-set=-all \
        "$binary" serve --listen "127.0.0.1:$port" 2>/tmp/netscope-check.err &
    launcher=$!
    trap 'kill $launcher 2>/dev/null || true; pkill -f "serve --listen 127.0.0.1:$port" 2>/dev/null || true' EXIT
    pid=""
    for _ in $(seq 50); do
        pid=$(pgrep -f -n "^$binary serve --listen 127.0.0.1:$port" || true); [ -n "$pid" ] && break; sleep 0.1
    done
    how="setpriv (uid $uid, no capabilities, no_new_privs, LimitNOFILE=$nofile, read-only /)"
fi
[ -n "$pid" ] && [ "$pid" != 0 ] || fail "the service did not start: $(cat /tmp/netscope-check.err 2>/dev/null)"

# The process really is that unprivileged.
status=/proc/$pid/status
grep -q '^CapEff:[[:space:]]*0000000000000000$' "$status" || fail "effective capabilities: $(grep CapEff "$status")"
grep -q '^CapBnd:[[:space:]]*0000000000000000$' "$status" || fail "bounding set: $(grep CapBnd "$status")"
grep -q '^NoNewPrivs:[[:space:]]*1$' "$status" || fail "no_new_privs is off"
awk '/^Uid:/ { exit !($2 != 0) }' "$status" || fail "runs as root"

body=$(mktemp)
for _ in $(seq 50); do
    python3 -c "import urllib.request,sys; sys.stdout.write(urllib.request.urlopen('http://127.0.0.1:$port/metrics', timeout=5).read().decode())" \
        > "$body" 2>/dev/null && break
    sleep 0.1
done
[ -s "$body" ] || fail "no scrape answered on 127.0.0.1:$port"
lint=$(promtool check metrics < "$body" 2>&1) || fail "promtool: $(head -3 <<< "$lint")"
grep -q '^netscope_build_info{' "$body" || fail "no netscope_build_info"
grep -q '^netscope_interface_receive_bytes_total{' "$body" || fail "no interface series"
grep -q '^netscope_sockets{' "$body" || fail "no socket series"
if grep -q '^netscope_scrape_collector_success{.*} 0$' "$body"; then
    fail "a collector failed under the restrictions: $(grep '^netscope_scrape_collector_success{.*} 0$' "$body")"
fi
echo "check-service: unit verified; a scrape under $how succeeded ($(grep -c '^netscope_' "$body") samples, every collector ok)"
rm -f "$body"
