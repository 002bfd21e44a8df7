# shellcheck shell=bash
# tests/lib.sh: what the integration tests share (sourced, not run).
#
# Each test runs in its own scratch folder, emits TAP for prove, and
# starts the real servers it needs on loopback: a private Dovecot (own
# base_dir, passwd-file user, Maildir in the scratch folder, IMAPS with a
# certificate made for the run).  Environment from tests/run.sh:
#   MAILORDER  the binary under test      TOOLS  build/tools
#   SRCDIR     the project's top folder

set -u
: "${MAILORDER:?run through tests/run.sh}"
: "${TOOLS:?run through tests/run.sh}"
: "${SRCDIR:?run through tests/run.sh}"

T_COUNT=0
T_FAILED=0
T_DIR=
T_PIDS=()
DOVE_DIR=

# ---------------------------------------------------------------- TAP
t_ok() {  # t_ok DESC COMMAND...: passes when COMMAND succeeds
	local desc=$1; shift
	T_COUNT=$((T_COUNT + 1))
	if "$@" >/dev/null; then
		echo "ok $T_COUNT - $desc"
	else
		echo "not ok $T_COUNT - $desc"
		T_FAILED=$((T_FAILED + 1))
	fi
}

t_is() {  # t_is GOT WANT DESC
	T_COUNT=$((T_COUNT + 1))
	if [ "$1" = "$2" ]; then
		echo "ok $T_COUNT - $3"
	else
		echo "not ok $T_COUNT - $3"
		echo "#        got: '$1'"
		echo "#   expected: '$2'"
		T_FAILED=$((T_FAILED + 1))
	fi
}

t_like() {  # t_like GOT REGEX DESC
	T_COUNT=$((T_COUNT + 1))
	if printf '%s' "$1" | grep -Eq -- "$2"; then
		echo "ok $T_COUNT - $3"
	else
		echo "not ok $T_COUNT - $3"
		echo "#        got: '$1'"
		echo "#   expected to match: $2"
		T_FAILED=$((T_FAILED + 1))
	fi
}

t_unlike() {  # t_unlike GOT REGEX DESC: passes when GOT does not match
	T_COUNT=$((T_COUNT + 1))
	if printf '%s' "$1" | grep -Eq -- "$2"; then
		echo "not ok $T_COUNT - $3"
		echo "#        got: '$1'"
		echo "#   expected not to match: $2"
		T_FAILED=$((T_FAILED + 1))
	else
		echo "ok $T_COUNT - $3"
	fi
}

t_diag() { printf '# %s\n' "$@"; }

t_done() {
	echo "1..$T_COUNT"
	[ "$T_FAILED" -eq 0 ]
}

# ---------------------------------------------------------------- scratch
t_cleanup() {
	local p
	for p in "${T_PIDS[@]:-}"; do
		[ -n "$p" ] && kill -9 "$p" 2>/dev/null
	done
	dove_stop
	if [ -n "$T_DIR" ] && [ -d "$T_DIR" ]; then
		if [ "$T_FAILED" -ne 0 ] || [ "${KEEP:-0}" = 1 ]; then
			echo "# kept $T_DIR" >&2
		else
			rm -rf "$T_DIR"
		fi
	fi
}

t_init() {
	T_DIR=$(mktemp -d "${TMPDIR:-/tmp}/mailorder-test.XXXXXX")
	chmod 755 "$T_DIR"   # Dovecot's mail user (nobody) walks through it
	trap t_cleanup EXIT
	trap 'exit 130' INT TERM
	cd "$T_DIR" || exit 1
}

# ---------------------------------------------------------------- Dovecot
# dove_start [USER [PASS]]: (DOVE_CERT_SAN, DOVE_CERT_CN: the certificate's
# names, for tests of host-name checks) sets DOVE_IMAP_PORT DOVE_IMAPS_PORT DOVE_CERT
# DOVE_CONF DOVE_USER DOVE_PASS DOVE_MAILDIR.
dove_start() {
	local user=${1:-commandes@sweetiebio.fr} pass=${2:-secret-$RANDOM$RANDOM}
	# DOVE_BASE: elsewhere than under T_DIR, which Dovecot's users may not be
	# allowed to walk through (a project under /root, mode 700).
	local dir=${DOVE_BASE:-$T_DIR/dovecot} uid gid extra i
	DOVE_DIR=$dir
	DOVE_USER=$user
	DOVE_PASS=$pass
	mkdir -p "$dir/run" "$dir/state" "$dir/mail"
	chmod 755 "$dir" "$dir/run" "$dir/state"
	DOVE_IMAP_PORT=$("$TOOLS/freeport") && DOVE_IMAPS_PORT=$("$TOOLS/freeport") || return 1
	while [ "$DOVE_IMAPS_PORT" = "$DOVE_IMAP_PORT" ]; do
		DOVE_IMAPS_PORT=$("$TOOLS/freeport") || return 1
	done
	DOVE_CERT=$dir/cert.pem
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=${DOVE_CERT_CN:-localhost}" \
		-addext "subjectAltName=${DOVE_CERT_SAN:-DNS:localhost,IP:127.0.0.1}" \
		-keyout "$dir/key.pem" -out "$DOVE_CERT" >/dev/null 2>&1 || return 1
	chmod 600 "$dir/key.pem"
	printf '%s:{PLAIN}%s\n' "$user" "$pass" >"$dir/users"
	chmod 644 "$dir/users"
	if [ "$(id -u)" = 0 ]; then
		# Dovecot will not deliver mail as root: the Maildir belongs to nobody.
		uid=$(id -u nobody); gid=$(id -g nobody)
		chown "$uid:$gid" "$dir/mail"
		extra="default_internal_user = dovecot
default_login_user = dovenull"
	else
		uid=$(id -u); gid=$(id -g)
		extra="default_internal_user = $(id -un)
default_internal_group = $(id -gn)
default_login_user = $(id -un)
first_valid_uid = $uid
first_valid_gid = $gid
service anvil {
  chroot =
}
service auth {
  user = \$default_internal_user
}"
	fi
	DOVE_CONF=$dir/dovecot.conf
	cat >"$DOVE_CONF" <<CONF
base_dir = $dir/run
state_dir = $dir/state
instance_name = mailorder-test-$$
log_path = $dir/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <$DOVE_CERT
ssl_key = <$dir/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:$dir/mail/%n/Maildir
$extra
${DOVE_EXTRA:-}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $dir/users
}
userdb {
  driver = static
  args = uid=$uid gid=$gid home=$dir/mail/%n
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = $DOVE_IMAP_PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $DOVE_IMAPS_PORT
    ssl = yes
  }
}
service stats {
  unix_listener stats-reader {
    mode = 0666
  }
  unix_listener stats-writer {
    mode = 0666
  }
}
CONF
	DOVE_MAILDIR=$dir/mail/${user%%@*}/Maildir
	# Another test may take a port between freeport and Dovecot's bind
	# (prove runs two at once): then new ports, and again.
	local try
	for try in 1 2 3; do
		dove_try_start "$dir" && return 0
		[ -s "$dir/run/master.pid" ] && kill "$(cat "$dir/run/master.pid")" 2>/dev/null
		rm -f "$dir/run/master.pid"
		local imap imaps
		imap=$("$TOOLS/freeport") && imaps=$("$TOOLS/freeport") || return 1
		[ "$imap" = "$imaps" ] && continue
		sed -i -e "s/^    port = $DOVE_IMAP_PORT\$/    port = $imap/" \
			-e "s/^    port = $DOVE_IMAPS_PORT\$/    port = $imaps/" "$DOVE_CONF"
		DOVE_IMAP_PORT=$imap
		DOVE_IMAPS_PORT=$imaps
	done
	return 1
}

# dove_try_start DIR: starts Dovecot with $DOVE_CONF and waits until it
# answers on $DOVE_IMAP_PORT (five seconds at most).
dove_try_start() {
	local dir=$1 i
	# Not on the test's stdout: a server left behind must not hold prove's pipe.
	dovecot -c "$DOVE_CONF" </dev/null >>"$dir/dovecot.out" 2>&1 || return 1
	for i in $(seq 1 100); do
		[ -s "$dir/run/master.pid" ] && (exec 3<>"/dev/tcp/127.0.0.1/$DOVE_IMAP_PORT") 2>/dev/null &&
			return 0
		sleep 0.05
	done
	return 1
}

dove_stop() {
	# DOVE_DIR stays set after a stop: dove_restart and the final clean-up
	# both need it.  Stopping a stopped server does nothing.
	[ -n "$DOVE_DIR" ] || return 0
	local pid
	pid=$(cat "$DOVE_DIR/run/master.pid" 2>/dev/null)
	if [ -n "$pid" ]; then
		doveadm -c "$DOVE_CONF" stop >/dev/null 2>&1 || kill "$pid" 2>/dev/null
		for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
		kill -9 "$pid" 2>/dev/null
	fi
	# The master's children (an imap process holding a client's connection)
	# outlive it: a server that goes away takes its connections with it.
	# The master too, should it have missed its pid file.
	pkill -9 -f "^dovecot-mailorder-test-$$/" 2>/dev/null
	pkill -9 -f -- "dovecot -c $DOVE_CONF\$" 2>/dev/null
	# A pid file left by a kill -9 must not name some later process.
	rm -f "$DOVE_DIR/run/master.pid"
}

dove_restart() {  # same ports, same mail: a server that went away and came back
	local conf=$DOVE_CONF i
	dove_stop
	dovecot -c "$conf" </dev/null >>"$DOVE_DIR/dovecot.out" 2>&1 || return 1
	for i in $(seq 1 100); do
		(exec 3<>"/dev/tcp/127.0.0.1/$DOVE_IMAP_PORT") 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

dove_deliver() {  # dove_deliver FILE...: into INBOX, in the order given
	local f
	for f in "$@"; do
		doveadm -c "$DOVE_CONF" save -u "$DOVE_USER" -m INBOX <"$f" || return 1
	done
}

dove_status() {  # dove_status FIELD: messages, uidvalidity, uidnext... of INBOX
	doveadm -c "$DOVE_CONF" mailbox status -u "$DOVE_USER" "$1" INBOX 2>/dev/null |
		sed -n "s/.*$1=\([0-9][0-9]*\).*/\1/p"
}

# Count of INBOX messages carrying a flag or keyword.
dove_count_flag() {
	doveadm -c "$DOVE_CONF" search -u "$DOVE_USER" mailbox INBOX KEYWORD "$1" 2>/dev/null | wc -l
}

# ---------------------------------------------------------------- mailorder
# mo_config [TLS [PORT]]: writes ./mailorder.conf for the Dovecot above.
mo_config() {
	local tls=${1:-none} port=${2:-} ca=
	if [ -z "$port" ]; then
		if [ "$tls" = imaps ]; then port=$DOVE_IMAPS_PORT; else port=$DOVE_IMAP_PORT; fi
	fi
	[ "$tls" != none ] && ca="ca_file = secrets/ca.pem"
	mkdir -p secrets
	printf '%s\n' "$DOVE_PASS" >secrets/imap.pass
	chmod 600 secrets/imap.pass
	[ -n "$ca" ] && cp "$DOVE_CERT" secrets/ca.pem
	cat >mailorder.conf <<CONF
[company]
name = Sweetie Bio
address = Zone Industrielle La Ballastière
postcode = 33500
city = Libourne
siret = 12656292500092
vat = FR38126562925
iban = FR7616959000017788869762403
bic = AGRIFRPPAGN
bank = Crédit Agricole
email = contact@sweetiebio.fr
legal_form = SAS
capital = 10000
rcs = Libourne
late_penalty = trois fois le taux d'intérêt légal

[imap]
host = 127.0.0.1
port = $port
tls = $tls            ; imaps | starttls | none
user = $DOVE_USER
password_file = secrets/imap.pass
mailbox = INBOX
poll_interval = 5
$ca

[storage]
database = var/mailorder.db
archive = var/archive
max_attachment_mb = ${MAX_MB:-25}
CONF
}

# mo_config_offline: a config for commands that never reach a mail server
# (no Dovecot started).
mo_config_offline() {
	cat >mailorder.conf <<CONF
[imap]
host = 127.0.0.1
port = 9
tls = none
user = commandes@sweetiebio.fr
password = not-used-here

[storage]
database = var/mailorder.db
archive = var/archive
CONF
}

mo() { "$MAILORDER" -c "$T_DIR/mailorder.conf" "$@"; }

# The test data shipped with the project.
mo_init_catalog() {
	mo init >/dev/null &&
		mo import customers "$SRCDIR/tests/data/customers.csv" >/dev/null &&
		mo import products "$SRCDIR/tests/data/products.csv" >/dev/null
}

# sql QUERY: one value per line from the test's database.
sql() { sqlite3 -batch -noheader "$T_DIR/var/mailorder.db" "$1"; }

# ---------------------------------------------------------------- messages
# mkpdf OUT.pdf [TITLE]: a small purchase order PDF.
mkpdf_order() {
	local out=$1 title=${2:-Commande}
	printf 'size 14\ntext 50 60 %s\nsize 10\ntext 50 100 Réf.\ntext 120 100 Désignation\nrtext 480 100 Qté\ntext 50 120 BIO-1001\ntext 120 120 Farine de blé T65 1 kg\nrtext 480 120 12\n' "$title" |
		"$TOOLS/mkpdf" "$out"
}

# mkpdf_po OUT NUMBER DATE HEADER TOTAL_HT LINE...: a PO as customers'
# software prints it: HEADER at the top, "Commande N° NUMBER", "Date : DATE",
# a table whose LINE is "ref|description|qty|unit price|line total" (an
# empty ref: no reference cell), then "Total HT" unless TOTAL_HT is empty.
mkpdf_po() {
	local out=$1 number=$2 date=$3 header=$4 total=$5 y=200 ref desc qty pu amount
	shift 5
	{
		printf 'size 14\ntext 40 50 %s\nsize 10\n' "$header"
		printf 'text 360 70 Commande N° %s\ntext 360 85 Date : %s\n' "$number" "$date"
		printf 'text 40 200 Réf.\ntext 110 200 Désignation\nrtext 380 200 Qté\nrtext 460 200 P.U. HT\nrtext 550 200 Montant HT\n'
		for l in "$@"; do
			IFS='|' read -r ref desc qty pu amount <<<"$l"
			y=$((y + 15))
			[ -n "$ref" ] && printf 'text 40 %d %s\n' $y "$ref"
			printf 'text 110 %d %s\nrtext 380 %d %s\nrtext 460 %d %s\nrtext 550 %d %s\n' \
				$y "$desc" $y "$qty" $y "$pu" $y "$amount"
		done
		[ -n "$total" ] && printf 'text 380 %d Total HT\nrtext 550 %d %s\n' $((y + 30)) $((y + 30)) "$total"
	} | "$TOOLS/mkpdf" "$out"
}

# mkeml [options] > FILE: a message, headers and parts as asked.
#   --from ADDR --subject TEXT --id MESSAGE-ID --date RFC2822-DATE
#   --body TEXT                       a text/plain body
#   --attach FILE NAME TYPE           a base64 attachment (NAME "" for none)
#   --inline FILE TYPE                a base64 inline part, no name
#   --qp FILE NAME TYPE               quoted-printable instead of base64
#   --header 'NAME: VALUE'            one more header (Auto-Submitted, List-Id...)
# Parts go in a multipart/mixed in the order given.
mkeml() {
	local from=client@example.com subject=Commande id="<$RANDOM.$RANDOM@example.com>"
	local date="Fri, 20 Nov 2026 10:00:00 +0100" boundary="=_mo_$RANDOM$RANDOM"
	local parts=() extra=
	while [ $# -gt 0 ]; do
		case $1 in
		--header) extra+="$2"$'\r\n'; shift 2 ;;
		--from) from=$2; shift 2 ;;
		--subject) subject=$2; shift 2 ;;
		--id) id=$2; shift 2 ;;
		--date) date=$2; shift 2 ;;
		--body) parts+=("body|$2"); shift 2 ;;
		--attach) parts+=("attach|$2|$3|$4"); shift 4 ;;
		--inline) parts+=("inline|$2||$3"); shift 3 ;;
		--qp) parts+=("qp|$2|$3|$4"); shift 4 ;;
		*) echo "mkeml: unknown option $1" >&2; return 2 ;;
		esac
	done
	printf 'From: %s\r\nTo: commandes@sweetiebio.fr\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: %s\r\n%sMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="%s"\r\n\r\nThis is a MIME message.\r\n' \
		"$from" "$subject" "$date" "$id" "$extra" "$boundary"
	local p kind file name type
	for p in "${parts[@]}"; do
		IFS='|' read -r kind file name type <<<"$p"
		printf -- '--%s\r\n' "$boundary"
		case $kind in
		body)
			printf 'Content-Type: text/plain; charset="utf-8"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n%s\r\n' "$file" ;;
		attach)
			printf 'Content-Type: %s\r\nContent-Transfer-Encoding: base64\r\n' "$type"
			if [ -n "$name" ]; then
				printf 'Content-Disposition: attachment; filename="%s"\r\n\r\n' "$name"
			else
				printf 'Content-Disposition: attachment\r\n\r\n'
			fi
			base64 -w 76 "$file" | sed 's/$/\r/' ;;
		inline)
			printf 'Content-Type: %s\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: inline\r\n\r\n' "$type"
			base64 -w 76 "$file" | sed 's/$/\r/' ;;
		qp)
			printf 'Content-Type: %s\r\nContent-Transfer-Encoding: quoted-printable\r\nContent-Disposition: attachment; filename="%s"\r\n\r\n' "$type" "$name"
			"$TOOLS/qpencode" <"$file" ;;
		esac
	done
	printf -- '--%s--\r\n' "$boundary"
}

# The SQL that takes a database of the current schema (7 to 13: the order
# chain, its outbox, the automatic answers, the confidences, the layouts
# learned) back to schema 6
# (before it): the migration tests make older databases from
# a new one, each undoing what came after it.
t_undo_schema7_sql() {
	cat <<'SQL'
DROP TRIGGER products_stock_not_negative; DROP TRIGGER invoices_posted_unchanged;
DROP TRIGGER invoices_posted_kept; DROP TRIGGER invoice_lines_posted_insert;
DROP TRIGGER invoice_lines_posted_update; DROP TRIGGER invoice_lines_posted_delete;
DROP TRIGGER invoice_vat_posted_insert; DROP TRIGGER invoice_vat_posted_update;
DROP TRIGGER invoice_vat_posted_delete; DROP TRIGGER invoice_deliveries_posted_delete;
DROP TRIGGER entries_unchanged; DROP TRIGGER entries_kept;
DROP TABLE outbox; DROP TABLE filed_documents; DROP TABLE entries; DROP TABLE invoice_deliveries;
DROP TABLE invoice_vat; DROP TABLE invoice_lines; DROP TABLE invoices;
DROP TABLE delivery_lines; DROP TABLE deliveries; DROP TABLE order_removed_lines;
ALTER TABLE orders DROP COLUMN comment; ALTER TABLE order_lines DROP COLUMN po_qty_milli;
ALTER TABLE order_lines DROP COLUMN po_unit_price_cents; ALTER TABLE order_lines DROP COLUMN po_lineno;
ALTER TABLE order_lines DROP COLUMN price_by_clerk;
ALTER TABLE customers DROP COLUMN acknowledge; ALTER TABLE messages DROP COLUMN reply_to;
DROP TABLE order_confidence; ALTER TABLE order_lines DROP COLUMN confidence;
DROP TABLE learned_layouts;
ALTER TABLE order_lines DROP COLUMN doubt;
SQL
}

# smtp_start [OPTIONS...]: a real SMTP server (Debian's python3-aiosmtpd,
# through tests/tools/smtpd.py: its options there) on a free loopback port,
# storing what it takes, byte for byte, in the Maildir $T_DIR/smtp-maildir
# and what happened in $SMTP_EVENTS; SMTP_PORT, SMTP_PID.  smtp_stop stops it.
smtp_start() {
	local py=/usr/bin/python3 i
	[ -x "$py" ] || py=python3
	SMTP_PORT=$("$TOOLS/freeport") || return 1
	SMTP_EVENTS=$T_DIR/smtp-events
	mkdir -p "$T_DIR/smtp-maildir/tmp" "$T_DIR/smtp-maildir/new" "$T_DIR/smtp-maildir/cur"
	"$py" "$SRCDIR/tests/tools/smtpd.py" "$SMTP_PORT" "$T_DIR/smtp-maildir" "$SMTP_EVENTS" "$@" \
		>>"$T_DIR/smtp.log" 2>&1 &
	SMTP_PID=$!
	for i in $(seq 100); do
		(exec 3<>"/dev/tcp/127.0.0.1/$SMTP_PORT") 2>/dev/null && return 0
		kill -0 "$SMTP_PID" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}
smtp_stop() {
	[ -n "${SMTP_PID:-}" ] && kill "$SMTP_PID" 2>/dev/null && wait "$SMTP_PID" 2>/dev/null
	SMTP_PID=
	return 0
}
# The mails the server took: one file each.
smtp_received() { find "$T_DIR/smtp-maildir/new" -type f 2>/dev/null | sort; }
