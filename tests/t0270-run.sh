#!/usr/bin/env bash
# mailorder run, the service: polls (IDLE) and sends in one process, with a
# real Dovecot and two real SMTP servers (Debian's aiosmtpd) on loopback.
# An order appended becomes a draft, its validation in another process is
# sent by run at once; SIGHUP takes a new [smtp], a broken config is
# refused and the old kept; systemd hears READY, RELOADING, STOPPING; one
# poller per base; a sender held by another holder of the send lock waits;
# kill -9 at random points with orders in and mails out: every message
# taken once, every mail sent, a duplicate only with its Message-ID; then
# make install puts everything in place, and the installed binary finds
# its shipped rules and templates.
. "$(dirname "$0")/lib.sh"
t_init
SMTP2_PID=
NOTIFY_PID=
trap 'smtp_stop; for p in $SMTP2_PID $NOTIFY_PID; do kill "$p" 2>/dev/null; done; t_cleanup' EXIT
dove_start || { echo "Bail out! Dovecot did not start"; exit 1; }
mo_config none
# the clerk's mails first; the acknowledgments join in at the kills
printf '\n[outbound]\nacknowledge = no\nmax_auto_replies_per_hour = 1000\n' >>mailorder.conf
mo_init_catalog || { echo "Bail out! init failed"; exit 1; }
smtp_start || { echo "Bail out! aiosmtpd did not start"; exit 1; }
py=/usr/bin/python3
[ -x "$py" ] || py=python3

smtp_conf() {  # smtp_conf PORT: [smtp] of the config, to that port
	sed -i '/^\[smtp\]/,$d' mailorder.conf
	printf '\n[smtp]\nhost = 127.0.0.1\nport = %s\ntls = none\nfrom = Sweetie Bio <commandes@sweetiebio.fr>\n' \
		"$1" >>mailorder.conf
}
smtp_conf "$SMTP_PORT"

# A second SMTP server, into smtp2/.
smtp2_start() {
	local i
	SMTP2_PORT=$("$TOOLS/freeport") || return 1
	mkdir -p smtp2/tmp smtp2/new smtp2/cur
	"$py" -m aiosmtpd -n -l "127.0.0.1:$SMTP2_PORT" -c aiosmtpd.handlers.Mailbox "$T_DIR/smtp2" \
		>smtp2.log 2>&1 &
	SMTP2_PID=$!
	for i in $(seq 100); do
		(exec 3<>"/dev/tcp/127.0.0.1/$SMTP2_PORT") 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}
received1() { find smtp-maildir/new -type f 2>/dev/null | wc -l; }
received2() { find smtp2/new -type f 2>/dev/null | wc -l; }

wait_for() {  # wait_for SECONDS COMMAND...: until COMMAND succeeds
	local end=$((SECONDS + $1)); shift
	while [ $SECONDS -lt $end ]; do "$@" && return 0; sleep 0.1; done
	return 1
}
drafts_are() { [ "$(mo drafts --json 2>/dev/null | jq length)" = "$1" ]; }
is() { [ "$("${@:2}")" = "$1" ]; }   # is WANT COMMAND...
gone() { ! kill -0 "$1" 2>/dev/null; }

n_po=0
po() {  # po: one more purchase order into the mailbox
	n_po=$((n_po + 1))
	mkpdf_po "po$n_po.pdf" "LEA-$((800 + n_po))" 25/11/2026 "Bon de commande" "" \
		"BIO-2001|Farine de blé T65 1 kg|$n_po|3,36|$((n_po * 336 / 100)),$(printf '%02d' $((n_po * 336 % 100)))"
	mkeml --from "lea@jardins-de-lea.fr" --id "<r$n_po@lea>" \
		--attach "po$n_po.pdf" "LEA-$((800 + n_po)).pdf" application/pdf >"r$n_po.eml"
	dove_deliver "r$n_po.eml"
}

# systemd's side of Type=notify: an abstract socket that writes down what
# it hears.
notify_name=mailorder-test-$$-$RANDOM
"$py" - "$notify_name" "$T_DIR/notify.log" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("\0" + sys.argv[1])
with open(sys.argv[2], "a") as out:
    while True:
        data = s.recv(4096).decode()
        out.write(data.replace("\n", " ") + "\n")
        out.flush()
PY
NOTIFY_PID=$!
sleep 0.3

# ---------------------------------------------------------------- the service
NOTIFY_SOCKET=@$notify_name "$MAILORDER" -c "$T_DIR/mailorder.conf" run >run.log 2>&1 &
run=$!
T_PIDS+=("$run")
t_ok "run says systemd it is ready" wait_for 10 grep -q '^READY=1' notify.log
po
t_ok "an order appended to the mailbox becomes a draft (IDLE)" wait_for 15 drafts_are 1
mo validate SO0001 --accept-warnings >/dev/null 2>err || t_diag "validate: $(cat err)"
t0=$(date +%s%N)
t_ok "validate, in another process: run sends the confirmation at once" wait_for 10 is 1 received1
t_diag "validate to the SMTP server's 250: $(( ($(date +%s%N) - t0) / 1000000 )) ms"
t_is "$(mo outbox --json | jq -r '.[0].state')" sent "  marked sent"
"$py" - "$(smtp_received | head -1)" >mail.txt 2>&1 <<'PY'
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
print(m["To"], "|", m["In-Reply-To"], "|", [a.get_filename() for a in m.iter_attachments()])
PY
t_like "$(cat mail.txt)" "^lea@jardins-de-lea.fr \| <r1@lea> \| \['les-jardins-de-lea_CONF_SO0001_" \
	"  the confirmation, to the customer, in reply to the PO, its CONF attached"
t_like "$(cat run.log)" "UID 1 : M0001 de lea@jardins-de-lea.fr" "the log: a line for the message, with its numbers"
t_like "$(cat run.log)" "M0001 : .*brouillon SO0001" "  and its draft"
t_like "$(cat run.log)" "courriel 1 \(confirmation, à lea@jardins-de-lea.fr\) <[^>]+> : envoyé" \
	"  a line for the mail, with its number and Message-ID"

# One poller per base.
mo run >/dev/null 2>err
t_is "$?" 1 "a second run is refused"
t_like "$(cat err)" "un autre « mailorder run » tourne déjà sur .*mailorder.db \(processus $run\)" \
	"  saying which holds the base"
mo poll --once >/dev/null 2>err
t_like "$?:$(cat err)" "^1:.*un autre « mailorder run » tourne déjà" "a poll too"

# The send lock: while another sender holds it, run waits, then sends.
mo copy SO0001 >/dev/null 2>&1
flock var/mailorder.db.send-lock sleep 2 &
holder=$!
sleep 0.3
mo validate SO0002 --accept-warnings >/dev/null 2>&1
sleep 1
t_is "$(received1)" 1 "another sender holds the send lock: run does not send meanwhile"
wait "$holder"
t_ok "  and sends once it is let go" wait_for 10 is 2 received1

# SIGHUP: a new [smtp] port, the next mail goes there.
smtp2_start || { echo "Bail out! second aiosmtpd did not start"; exit 1; }
smtp_conf "$SMTP2_PORT"
kill -HUP "$run"
t_ok "SIGHUP: the config is read again" wait_for 10 grep -q "configuration relue : .*127.0.0.1:$SMTP2_PORT" run.log
t_ok "  systemd is told: RELOADING=1 with MONOTONIC_USEC, then READY=1" \
	wait_for 5 bash -c "grep -A1 '^RELOADING=1 MONOTONIC_USEC=[0-9]' notify.log | grep -q '^READY=1'"
po
t_ok "  the poller reconnected with it: the next order is taken in" wait_for 15 drafts_are 1
mo validate SO0003 --accept-warnings >/dev/null 2>&1
t_ok "  the next mail goes to the new server" wait_for 10 is 1 received2
t_is "$(received1)" 2 "  and not to the old one"

# A broken config on SIGHUP: said, the old one kept.
cp mailorder.conf good.conf
sed -i 's/^tls = none            ; imaps.*/tls = imap4/' mailorder.conf
printf '[frob]\nx = 1\n' >>mailorder.conf
kill -HUP "$run"
t_ok "a broken config on SIGHUP is refused" wait_for 10 grep -q "configuration refusée : " run.log
t_like "$(grep 'configuration refusée' run.log | tr '\n' ' ')" "mailorder.conf:[0-9]+: .*tls.*mailorder.conf:[0-9]+: .*frob" \
	"  each of its faults said, with its line"
t_like "$(cat run.log)" "la configuration en service est gardée" "  the running one kept"
t_ok "  run goes on" kill -0 "$run"
# (the clerk's commands read the good copy: the file is broken)
"$MAILORDER" -c "$T_DIR/good.conf" copy SO0003 >/dev/null 2>&1
"$MAILORDER" -c "$T_DIR/good.conf" validate SO0004 --accept-warnings >/dev/null 2>&1
t_ok "  and sends with the old one" wait_for 10 is 2 received2
cp good.conf mailorder.conf

kill -TERM "$run"
if wait_for 15 gone "$run"; then
	wait "$run"
	t_is "$?" 0 "SIGTERM stops it cleanly (exit 0)"
else
	t_ok "SIGTERM stops it within 15 s" false
fi
t_like "$(tail -1 notify.log)" "^STOPPING=1" "  systemd is told it is stopping"
t_like "$(cat run.log)" "run : 2 message\(s\) nouveau\(x\), 2 brouillon\(s\).*4 courriel\(s\) envoyé\(s\).*1 configuration\(s\) relue\(s\), 1 refusée" \
	"  its last line sums the run up"

# ---------------------------------------------------------------- SMTP down
# A server that cannot be reached: the mail counts one try and waits for
# its next; run does not hammer the server meanwhile.
cp mailorder.conf up.conf
smtp_conf "$("$TOOLS/freeport")"
"$MAILORDER" -c "$T_DIR/mailorder.conf" run >down.log 2>&1 &
run=$!
T_PIDS+=("$run")
mo copy SO0001 >/dev/null 2>&1
down_mail=$(mo drafts --json | jq -r '.[0].number')
mo validate "$down_mail" --accept-warnings >/dev/null 2>&1
wait_for 10 grep -q "courriel 5 .* : en échec" down.log
mo copy SO0001 >/dev/null 2>&1
mo validate "$(mo drafts --json | jq -r '.[0].number')" --accept-warnings >/dev/null 2>&1
sleep 3
t_is "$(sql "SELECT group_concat(state || ' ' || tries, ', ') FROM outbox WHERE id >= 5")" \
	"failed 1, failed 1" "SMTP down: each mail fails one try, then waits for its next"
t_ok "  the sender backs off: two attempts, no more" test "$(grep -c 'envoi : ' down.log)" -le 2
kill -TERM "$run"
wait_for 15 gone "$run" || kill -9 "$run"
wait "$run"
t_is "$?" 0 "  and stops cleanly"
t_like "$(tail -1 down.log)" "0 courriel\(s\) envoyé\(s\), 2 en échec" "  its sum says so"
cp up.conf mailorder.conf
sql "UPDATE outbox SET next_try_at = '2000-01-01T00:00:00Z' WHERE state = 'failed'"

# ---------------------------------------------------------------- kill -9
# Orders flow in, validations queue mails, and run is killed at random
# points, many times.  mailorder send --once runs beside it now and then.
mo_run_bg() {
	"$MAILORDER" -c "$T_DIR/mailorder.conf" run >>kill.log 2>&1 &
	run=$!
	T_PIDS+=("$run")
}
validate_drafts() {
	local n
	for n in $(mo drafts --json 2>/dev/null | jq -r '.[].number'); do
		mo validate "$n" --accept-warnings >/dev/null 2>&1
	done
}
# From here each order's acknowledgment flows out with the clerk's mails.
sed -i 's/^acknowledge = no$/acknowledge = yes/' mailorder.conf
acks_before=$(sql "SELECT count(*) FROM outbox WHERE kind = 'acknowledgment'")
msgs_before=$(sql "SELECT count(*) FROM messages")
rounds=${T0270_ROUNDS:-12}
for r in $(seq "$rounds"); do
	mo_run_bg
	po
	sleep "0.$((RANDOM % 10))"
	validate_drafts
	sender=
	if [ $((r % 4)) = 0 ]; then
		mo send --once >/dev/null 2>&1 &
		sender=$!
	fi
	mo copy SO0001 >/dev/null 2>&1
	validate_drafts
	sleep "0.$((RANDOM % 10))"
	kill -9 "$run" 2>/dev/null
	wait "$run" 2>/dev/null
	[ -n "$sender" ] && wait "$sender"
done
# One more kill, in the window after a 250: the mail goes again, with its
# Message-ID.
mo copy SO0001 >/dev/null 2>&1
validate_drafts
exec 3>&2 2>/dev/null   # not the shell's notice of the kill
MAILORDER_CRASHPOINT=outbox-sent "$MAILORDER" -c "$T_DIR/mailorder.conf" run >>kill.log 2>&1 &
run=$!
T_PIDS+=("$run")
wait_for 15 gone "$run" || kill -9 "$run"
wait "$run"
rc=$?
exec 2>&3 3>&-
t_is "$rc" 137 "run killed right after a 250 (crash point outbox-sent)"

# The final clean run takes and sends what is left.
mo_run_bg
everything_done() {
	validate_drafts
	[ "$(sql "SELECT count(*) FROM messages WHERE state = 'fetched'")" = 0 ] &&
		[ "$(sql 'SELECT count(*) FROM messages')" = "$n_po" ] &&
		[ "$(mo drafts --json | jq length)" = 0 ] &&
		[ "$(sql "SELECT count(*) FROM outbox WHERE state <> 'sent'")" = 0 ]
}
t_ok "after $rounds kills, a clean run takes and sends everything left" wait_for 60 everything_done
kill -TERM "$run"
wait_for 15 gone "$run" || kill -9 "$run"
wait "$run"
t_is "$?" 0 "  and stops cleanly"
t_is "$(sql 'SELECT count(*) FROM messages')" "$n_po" "every message appended taken in ($n_po)"
t_is "$(sql 'SELECT count(DISTINCT message_id) FROM messages')" "$n_po" "  each once"
t_is "$(sql 'SELECT count(*) FROM orders WHERE document_id IS NOT NULL')" "$n_po" "  each one draft"
t_is "$(sql "SELECT count(*) FROM quarantine")" 0 "  none in quarantine"
t_is "$(sql "SELECT count(*) FROM outbox WHERE state <> 'sent'")" 0 "every mail queued is sent"
t_is "$(( $(sql "SELECT count(*) FROM outbox WHERE kind = 'acknowledgment'") - acks_before ))" \
	"$(( n_po - msgs_before ))" "  among them one acknowledgment for each order taken in during the kills"
queued=$(sql 'SELECT count(*) FROM outbox')
"$py" - "$T_DIR" >dups.txt 2>&1 <<'PY'
import email, email.policy, glob, sqlite3, sys, collections
d = sys.argv[1]
ids = collections.Counter()
for f in glob.glob(d + "/smtp-maildir/new/*") + glob.glob(d + "/smtp2/new/*"):
    m = email.message_from_binary_file(open(f, "rb"), policy=email.policy.default)
    ids[m["Message-ID"].strip()] += 1
db = sqlite3.connect(d + "/var/mailorder.db")
ours = {"<%s>" % r[0] for r in db.execute("SELECT message_id FROM outbox")}
strangers = [i for i in ids if i not in ours]
missing = [i for i in ours if i not in ids]
print(len(ids), sum(ids.values()) - len(ids), len(strangers), len(missing))
PY
read -r distinct dups strangers missing <dups.txt
t_is "$distinct:$strangers:$missing" "$queued:0:0" "each of the $queued mails arrived, none unknown"
t_diag "duplicates at the SMTP servers (the window after a 250): $dups"
t_ok "  a duplicate only with its own Message-ID, at most one per kill ($dups)" \
	test "$dups" -ge 1 -a "$dups" -le $((rounds + 1))

# ---------------------------------------------------------------- install
# Built apart from build/ (the tests' binary stays as it is): the objects
# of the build under test are copied, the ones that name the shipped
# folders are made again.
build_dir=$(dirname "$MAILORDER")
san=
[ "$(basename "$build_dir")" = build-san ] && san=SANITIZE=1
mkdir -p ib
cp -a "$build_dir/obj" ib/
make -C "$SRCDIR" -s install $san INSTALL_BUILD="$T_DIR/ib" DESTDIR="$T_DIR/root" PREFIX=/usr \
	>install.log 2>&1
t_is "$?" 0 "make install DESTDIR=... PREFIX=/usr"
missing=
for f in usr/bin/mailorder usr/share/man/man1/mailorder.1 usr/share/mailorder/rules/bio-perigord.yaml \
	usr/share/mailorder/templates/confirmation.yaml usr/share/mailorder/templates/mails/confirmation.txt \
	usr/lib/systemd/system/mailorder.service; do
	[ -s "root/$f" ] || missing="$missing $f"
done
t_is "$missing" "" "  the binary, its manual, the rules, the templates, the systemd unit"
t_like "$(grep '^ExecStart=' root/usr/lib/systemd/system/mailorder.service)" "^ExecStart=/usr/bin/mailorder run$" \
	"  the unit starts the installed binary"
t_like "$(grep -c 'mailorder run' root/usr/share/man/man1/mailorder.1)" "^[1-9]" "  the manual describes run"
t_like "$(root/usr/bin/mailorder -c "$T_DIR/mailorder.conf" rules check 2>&1)" \
	"puis /usr/share/mailorder/rules" "  the binary looks for its rules under PREFIX/share/mailorder"
if command -v systemd-analyze >/dev/null 2>&1; then
	sed "s|^ExecStart=/usr/bin/mailorder|ExecStart=$T_DIR/root/usr/bin/mailorder|" \
		root/usr/lib/systemd/system/mailorder.service >mailorder.service
	systemd-analyze verify --man=no "$T_DIR/mailorder.service" >verify.log 2>&1
	t_is "$(grep -v 'mailorder.service: Command .* is not executable' verify.log | grep mailorder.service)" "" \
		"  systemd-analyze verify finds nothing wrong with the unit"
fi

# Installed for real under a prefix of ours: it runs from there, with
# what it shipped (a folder with no rules/ nor templates/ beside its config).
mkdir -p site
sed -e "s|^database = .*|database = $T_DIR/var/mailorder.db|" \
	-e "s|^archive = .*|archive = $T_DIR/var/archive|" \
	-e "s|^password_file = .*|password_file = $T_DIR/secrets/imap.pass|" mailorder.conf >site/mailorder.conf
make -C "$SRCDIR" -s install $san INSTALL_BUILD="$T_DIR/ib" PREFIX="$T_DIR/prefix" >>install.log 2>&1
t_is "$?" 0 "make install PREFIX=... (no DESTDIR, no root)"
installed=$T_DIR/prefix/bin/mailorder
t_like "$("$installed" -c site/mailorder.conf rules check 2>&1)" \
	"3 règle\(s\) dans $T_DIR/site/rules puis $T_DIR/prefix/share/mailorder/rules" \
	"  the installed binary reads the rules it shipped"
"$installed" -c site/mailorder.conf copy SO0001 >/dev/null 2>&1
n=$(mo drafts --json | jq -r '.[0].number')
"$installed" -c site/mailorder.conf validate "$n" --accept-warnings >out 2>err
t_is "$?:$(grep -c '^confirmation : ' out)" "0:1" "  and validates with the templates it shipped (the CONF, its mail)"
t_is "$(mo outbox --state queued --json | jq length)" 1 "  the mail queued"

# ---------------------------------------------------------------- OCR helpers
# run's threads have SIGTERM, SIGINT and SIGHUP blocked (they are read on
# a signalfd); its OCR helpers take signals again, nothing blocked, in a
# process group of their own (a terminal's Ctrl-C is for run, which
# finishes the page in hand).  The helper hangs here (MAILORDER_HANG_OCR).
mkpdf_po scanpo.pdf LEA-900 25/11/2026 "Bon de commande" "" "BIO-2001|Farine de blé T65 1 kg|2|3,36|6,72"
"$TOOLS/mkscan" scanpo.pdf scan.pdf --seed 5 || { echo "Bail out! mkscan"; exit 1; }
mkeml --from "lea@jardins-de-lea.fr" --id "<scan@lea>" --attach scan.pdf SCAN.pdf application/pdf >scan.eml
MAILORDER_HANG_OCR=1 "$MAILORDER" -c "$T_DIR/mailorder.conf" run >ocr.log 2>&1 &
run=$!
T_PIDS+=("$run")
dove_deliver scan.eml || { echo "Bail out! delivery failed"; exit 1; }
helper=
helper_runs() { helper=$(pgrep -P "$run" -f 'ocr-page' | head -1); [ -n "$helper" ]; }
blocked() { sed -n 's/^SigBlk:[[:space:]]*//p' "/proc/$1/status"; }
# SIGHUP, SIGINT, SIGTERM: bits 0, 1 and 14 of the mask
blocks_term() { local m; m=$(blocked "$1"); [ $((0x$m & 0x4003)) = $((0x4003)) ]; }
if wait_for 30 helper_runs; then
	t_ok "run blocks SIGTERM, SIGINT, SIGHUP (signalfd)" blocks_term "$run"
	t_is "$(blocked "$helper")" 0000000000000000 "  its OCR helper blocks nothing"
	t_is "$(ps -o pgid= -p "$helper" | tr -d ' ')" "$helper" "  the helper in a process group of its own"
	kill -TERM "$helper"
	t_ok "  SIGTERM reaches it" wait_for 5 gone "$helper"
else
	t_ok "run starts an OCR helper for a scan" false
fi
kill -TERM "$run"
wait_for 15 gone "$run" || kill -9 "$run"
wait "$run"
t_is "$?" 0 "  and run stops cleanly"
t_done
