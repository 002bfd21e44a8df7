#!/usr/bin/env bash
# make bench, the acknowledgment's latency (issue "Mail back"): mailorder
# run in IMAP IDLE on a private Dovecot, sending to a private SMTP server
# (Debian's aiosmtpd, with a handler that writes down when each mail is
# accepted); BENCH_LATENCY orders (default 200) appended to the mailbox one
# after the other, each as soon as the last one's acknowledgment was
# accepted.  The latency of one: from its append (doveadm save returned)
# to its acknowledgment accepted by the SMTP server.  Prints the median,
# the 90th and 99th percentiles and the largest.  Target: p99 under 2 s.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
export MAILORDER=${MAILORDER:-$top/build/mailorder} TOOLS=${TOOLS:-$top/build/tools} SRCDIR=$top
. "$top/tests/lib.sh"
n=${BENCH_LATENCY:-200}
[ "$n" -gt 0 ] || exit 0
t_init
run_pid=
trap '[ -n "$run_pid" ] && kill "$run_pid" 2>/dev/null; [ -n "${lat_pid:-}" ] && kill "$lat_pid" 2>/dev/null; t_cleanup' EXIT
dove_start || { echo "latence : Dovecot n'a pas démarré" >&2; exit 1; }
mo_config none
mo_init_catalog || exit 1

# The SMTP server: aiosmtpd, each mail accepted written down as
# "NANOSECONDS IN-REPLY-TO" in accepted.log.
lat_port=$("$TOOLS/freeport")
cat >latency_smtpd.py <<'PY'
import asyncio, signal, sys, time
from email.parser import BytesHeaderParser
from aiosmtpd.controller import Controller

log = open(sys.argv[2], "a", buffering=1)

class Handler:
    async def handle_DATA(self, server, session, envelope):
        h = BytesHeaderParser().parsebytes(envelope.original_content or envelope.content)
        log.write(f"{time.time_ns()} {h.get('In-Reply-To', '')}\n")
        return "250 OK"

c = Controller(Handler(), hostname="127.0.0.1", port=int(sys.argv[1]))
c.start()
signal.sigwait({signal.SIGTERM, signal.SIGINT})
c.stop()
PY
: >accepted.log
/usr/bin/python3 latency_smtpd.py "$lat_port" accepted.log 2>smtpd.err &
lat_pid=$!
for i in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$lat_port") 2>/dev/null && break; sleep 0.05; done
printf '\n[smtp]\nhost = 127.0.0.1\nport = %s\ntls = none\nfrom = Sweetie Bio <commandes@sweetiebio.fr>\n' "$lat_port" >>mailorder.conf
# one acknowledgment each: the hourly ceiling is not what is measured
printf '\n[outbound]\nmax_auto_replies_per_hour = 1000\n' >>mailorder.conf

# The orders, made first: each its own PO and Message-ID.
mkdir -p lat
for i in $(seq "$n"); do
	mkpdf_po "lat/po$i.pdf" "LAT-$i" 25/11/2026 "Bon de commande" "" \
		"BIO-2001|Farine de blé T65 1 kg|$((i % 9 + 1))|3,36|$(( (i % 9 + 1) * 336 / 100 )),$(printf %02d $(( (i % 9 + 1) * 336 % 100 )))"
	mkeml --from "lea@jardins-de-lea.fr" --id "<lat$i@bench>" --subject "Commande LAT-$i" \
		--attach "lat/po$i.pdf" "LAT-$i.pdf" application/pdf >"lat/m$i.eml"
done

"$MAILORDER" -c "$T_DIR/mailorder.conf" run >run.log 2>&1 &
run_pid=$!
# in IDLE before the first append
for i in $(seq 200); do grep -q "IDLE\|attend" run.log 2>/dev/null && break; sleep 0.05; done
sleep 1

: >latencies
for i in $(seq "$n"); do
	doveadm -c "$DOVE_CONF" save -u "$DOVE_USER" -m INBOX <"lat/m$i.eml" || exit 1
	t0=$(date +%s%N)
	got=
	for k in $(seq 6000); do
		got=$(grep -m1 " <lat$i@bench>$" accepted.log) && break
		sleep 0.005
	done
	[ -n "$got" ] || { echo "latence : pas d'accusé pour la commande $i en 30 s (voir $T_DIR/run.log)" >&2; KEEP=1; exit 1; }
	echo $(( ${got%% *} - t0 )) >>latencies
done
kill "$run_pid"; wait "$run_pid"; run_pid=
sort -n latencies | awk -v n="$n" '
	{ v[NR] = $1 / 1e6 }
	END {
		printf "latence de l'"'"'accusé de réception (run en IDLE, %d commandes l'"'"'une après l'"'"'autre) : médiane %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms (objectif : p99 < 2000 ms)\n",
			n, v[int((n + 1) / 2)], v[int(n * 0.9 + 0.999)], v[int(n * 0.99 + 0.999)], v[n]
	}'
