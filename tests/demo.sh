#!/usr/bin/env bash
# tests/demo.sh: what `make demo` runs.  A loopback Dovecot receives the
# sample e-mails of samples/, then mailorder takes them in as a clerk's
# day would start: init, imports, one poll, the review queue.
# Everything lives in build/demo/ and stays there to look at afterwards;
# the mail server is stopped at the end.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
export MAILORDER=$top/build/mailorder TOOLS=$top/build/tools SRCDIR=$top
. "$top/tests/lib.sh"

demo=$top/build/demo
rm -rf "$demo"
mkdir -p "$demo"
chmod 755 "$demo"
T_DIR=$demo
KEEP=1
# The mail server's files go to /tmp: Dovecot's own users could not read
# them under a project in /root (mode 700).
DOVE_BASE=$(mktemp -d "${TMPDIR:-/tmp}/mailorder-demo-imap.XXXXXX") || exit 1
trap 'dove_stop; rm -rf "$DOVE_BASE"' EXIT
cd "$demo"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ mailorder %s\n' "$*"; "$MAILORDER" -c "$demo/mailorder.conf" "$@"; }

say "a private IMAP server on 127.0.0.1 (Dovecot), with the sample mails in its INBOX"
dove_start || { echo "demo: Dovecot did not start (see $demo/dovecot/dovecot.log)" >&2; exit 1; }
dove_deliver "$top"/samples/*.eml || exit 1
echo "IMAPS on 127.0.0.1:$DOVE_IMAPS_PORT, $(ls "$top"/samples/*.eml | wc -l) messages delivered"
mo_config imaps
sed -i 's/^max_attachment_mb = .*/max_attachment_mb = 25/' mailorder.conf
echo "config: $demo/mailorder.conf"

say "set up the database and the customer file"
run init || exit 1
run import customers "$top/samples/customers.csv" || exit 1
run import products "$top/samples/products.csv" || exit 1

say "take the mail in (one pass; 'mailorder poll' without --once keeps watching)"
run poll --once || exit 1

say "the review queue"
run drafts || exit 1
say "what did not become a draft, and why"
run quarantine || exit 1
say "one draft in full"
run show SO0001 || exit 1

cat <<TXT

The database and the archive stay in $demo:
  find $demo/var/archive -type f
  $MAILORDER -c $demo/mailorder.conf drafts --json
TXT
