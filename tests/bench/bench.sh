#!/usr/bin/env bash
# make bench: intake throughput and memory.  For each size (default 1000
# and 10000; BENCH_SIZES="..." to change), a private Dovecot on loopback gets
# that many messages, each with its own PDF order (a few KB, standard font,
# eight lines: as most customers' software writes them; BENCH_BIG_PDF=1
# embeds a whole TTF instead, about 100 KB a PDF), written straight into its
# Maildir; then, on the same mailbox:
#   - rawfetch: a minimal libetpan loop fetching every message (the
#     reference: what the network and Dovecot cost alone), run once to warm
#     the index and the page cache, then timed; and the same writing each
#     message to a file of its own;
#   - mailorder poll --once: fetch, archive, sync, record, flag, parse,
#     read, file and draft every message; timed, with its peak RSS;
#   - the reading stage per document, on the same filed PDFs
#     (BENCH_READ_DOCS, default 500): mailorder rules check on all of them
#     (open with poppler, lay out, rule or generic reader) beside what
#     pdftotext does once started (tools/pdftext), one process each.
# Prints one line per size and the ratio to the raw fetch.  Then the
# rendering of the documents we send (see "Rendering" below).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
export MAILORDER=$top/build/mailorder TOOLS=$top/build/tools SRCDIR=$top
. "$top/tests/lib.sh"

sizes=${BENCH_SIZES-1000 10000}
results=()

# bench_po_spec TEXT_SIZE LINE_STEP DATE_Y: the bench's PO (a header and
# eight lines, as most customers' software writes it) for tools/mkpdf;
# scans want a larger text and more room between lines.
bench_po_spec() {
	local size=$1 step=$2 date_y=$3 i y
	printf 'size 14\ntext 40 50 ÉPICERIE DU MARCHÉ\nsize %d\n' "$size"
	printf 'text 360 70 Commande N° BENCH-2026\ntext 360 %d Date : 20/11/2026\n' "$date_y"
	printf 'text 40 200 Réf.\ntext 110 200 Désignation\nrtext 380 200 Qté\nrtext 460 200 P.U. HT\nrtext 550 200 Montant HT\n'
	for i in 1 2 3 4 5 6 7 8; do
		y=$((200 + step * i))
		printf 'text 40 %d BIO-200%d\ntext 110 %d Article de la ligne %d, 1 kg\nrtext 380 %d %d\nrtext 460 %d 3,45\nrtext 550 %d %d,%02d\n' \
			$y $i $y $i $y $((i * 2)) $y $y $((i * 2 * 345 / 100)) $((i * 2 * 345 % 100))
	done
}

# write_maildir N MAILDIR distinct|resent PDF...: N messages from the
# test customers straight into MAILDIR/new, each with one PDF: the PDFs in
# turn, as they are (resent: the same files again and again), or each
# made distinct by a trailer comment (distinct: none is a duplicate).
write_maildir() {
	local n=$1 maildir=$2 kind=$3
	shift 3
	mkdir -p "$maildir/new" "$maildir/cur" "$maildir/tmp"
	perl -MMIME::Base64 -e '
		my ($n, $dir, $kind, @files) = @ARGV;
		my @pdf = map { open(my $fh, "<:raw", $_) or die "$_: $!"; local $/; scalar <$fh> } @files;
		my @from = ("commandes\@epicerie-du-marche.fr", "lea\@jardins-de-lea.fr",
			    "contact\@bio-et-vrac.fr");
		my $t = 1795000000;
		for my $i (1 .. $n) {
			my $d = ($i - 1) % @pdf;
			my $body = encode_base64($kind eq "distinct" ? $pdf[$d] . "%bench $i\n" : $pdf[$d]);
			$body =~ s/\n/\r\n/g;
			my $msg = "From: <$from[$i % 3]>\r\nTo: <commandes\@sweetiebio.fr>\r\n"
				. "Subject: Commande BENCH-$i\r\nMessage-ID: <$kind-$i\@example.fr>\r\n"
				. "Date: Fri, 20 Nov 2026 10:00:00 +0100\r\nMIME-Version: 1.0\r\n"
				. "Content-Type: multipart/mixed; boundary=\"b$i\"\r\n\r\n"
				. "--b$i\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
				. "Bonjour, veuillez trouver notre commande ci-jointe.\r\n"
				. "--b$i\r\nContent-Type: application/pdf; name=\"BENCH-$i.pdf\"\r\n"
				. "Content-Disposition: attachment; filename=\"BENCH-$i.pdf\"\r\n"
				. "Content-Transfer-Encoding: base64\r\n\r\n$body--b$i--\r\n";
			my $name = sprintf("%s/new/%d.M%dP1.bench,S=%d", $dir, $t + $i, $i, length $msg);
			open(my $out, ">:raw", $name) or die "$name: $!";
			print $out $msg;
			close $out;
		}' "$n" "$maildir" "$kind" "$@"
	[ "$(id -u)" = 0 ] && chown -R nobody:nogroup "$maildir"
	return 0
}

# gen_messages N MAILDIR: N messages from the test customers, each with a
# distinct PDF (the same order with a distinct trailer comment, so that
# none is a duplicate of another).
gen_messages() {
	local n=$1 maildir=$2 font_opt=--standard-font
	[ -n "${BENCH_BIG_PDF:-}" ] && font_opt=
	# A PO as most customers' software writes it: standard font, a few KB,
	# a header, eight lines and the totals.
	{
		bench_po_spec 10 15 85
		printf 'text 380 350 Total HT\nrtext 550 350 124,20\n'
	} | "$TOOLS/mkpdf" base.pdf $font_opt
	write_maildir "$n" "$maildir" distinct base.pdf
}

# stat_of LOG: "SECONDS KB" from runstat's line
stat_of() { sed -n 's/^runstat: \([0-9.]*\) s, \([0-9]*\) KB max RSS.*/\1 \2/p' "$1"; }

for n in $sizes; do
	t_init
	trap t_cleanup EXIT
	dove_start || { echo "bench: Dovecot did not start" >&2; exit 1; }
	mo_config none
	mo_init_catalog || { echo "bench: init failed" >&2; exit 1; }
	# Dovecot makes the Maildir on first use.
	doveadm -c "$DOVE_CONF" mailbox status -u "$DOVE_USER" messages INBOX >/dev/null
	echo "bench: $n messages: generating" >&2
	gen_messages "$n" "$DOVE_MAILDIR"
	bytes=$(du -sb "$DOVE_MAILDIR/new" | cut -f1)
	raw=("$TOOLS/rawfetch" 127.0.0.1 "$DOVE_IMAP_PORT" "$DOVE_USER" secrets/imap.pass 64)
	echo "bench: $n messages: warming up (Dovecot indexes the mailbox)" >&2
	"${raw[@]}" >raw0.out || { echo "bench: raw fetch failed" >&2; exit 1; }
	"$TOOLS/runstat" "${raw[@]}" >raw.out 2>raw.stat || { echo "bench: raw fetch failed" >&2; exit 1; }
	mkdir -p saved
	"$TOOLS/runstat" "${raw[@]}" saved >/dev/null 2>saved.stat || { echo "bench: raw fetch failed" >&2; exit 1; }
	rm -rf saved
	echo "bench: $n messages: mailorder poll --once" >&2
	"$TOOLS/runstat" ${BENCH_WRAP:-} "$MAILORDER" -c "$T_DIR/mailorder.conf" poll --once >poll.out 2>poll.stat ||
		{ echo "bench: poll failed:" >&2; tail -5 poll.stat >&2; exit 1; }
	read -r raw_s raw_kb < <(stat_of raw.stat)
	read -r mo_s mo_kb < <(stat_of poll.stat)
	read -r saved_s _ < <(stat_of saved.stat)
	fetch_s=$(sed -n 's/.*fetching, archiving and recording them: \([0-9.]*\) s.*/\1/p' poll.stat)
	taken=$(sql 'SELECT count(*) FROM messages')
	drafts=$(sql "SELECT count(*) FROM orders WHERE state = 'draft'")
	line=$(awk -v n="$n" -v b="$bytes" -v rs="$raw_s" -v ss="$saved_s" -v ms="$mo_s" -v mk="$mo_kb" -v t="$taken" -v d="$drafts" -v fs="$fetch_s" 'BEGIN {
		printf "%6d messages (%6.1f MB): raw fetch %6.2f s (%5.0f msg/s), raw fetch + one file per message %6.2f s | mailorder poll --once %6.2f s (%5.0f msg/s), peak RSS %5.1f MB | ratio %5.2fx raw, %5.2fx raw+files | %d taken in, %d drafts\n"                \
		       "        of which the fetch stage (fetch, archive, sync, record, flag; the intake thread reading beside it) %6.2f s | ratio %5.2fx raw, %5.2fx raw+files",
			n, b / 1e6, rs, n / rs, ss, ms, n / ms, mk / 1024, ms / rs, ms / ss, t, d, fs, fs / rs, fs / ss }')
	# The reading stage, per document, on the same filed PDFs (at most
	# BENCH_READ_DOCS), each tool in one process for all of them, less
	# its start (the same command on no file): mailorder rules check --summary
	# (open, lay out, rule or generic reader, one line each) beside
	# tools/pdftext (poppler's text extraction, what pdftotext does once
	# started).  For reference: the poll's own measure (its intake thread
	# shares the two CPUs with the fetch), and pdftotext -layout run once
	# per file, as a shell script would.
	mapfile -t pdfs < <(find var/archive -name '*_BC_*.pdf' | sort | head -n "${BENCH_READ_DOCS:-500}")
	poll_ms=$(sed -n 's/.*PDF lu(s), \([0-9.]*\) ms chacun.*/\1/p' poll.stat)
	"$TOOLS/pdftext" "${pdfs[@]}" >/dev/null   # warm the page cache
	# ms_per_file COMMAND...: the run over $pdfs, less the same command's
	# run on none (its start: libraries, rules), per file
	ms_per_file() {
		local t0 t1 t2
		t0=$(date +%s%N)
		"$@" >/dev/null 2>&1
		t1=$(date +%s%N)
		"$@" "${pdfs[@]}" >/dev/null 2>&1
		t2=$(date +%s%N)
		awk -v e=$(( (t1 - t0) / 1000 )) -v d=$(( (t2 - t1) / 1000 )) -v n=${#pdfs[@]} \
			'BEGIN { if (d < e) e = 0; printf "%.3f", (d - e) / n / 1000 }'
	}
	ptx_ms=$(ms_per_file "$TOOLS/pdftext")
	mo_ms=$(ms_per_file "$MAILORDER" -c "$T_DIR/mailorder.conf" rules check --summary)
	t0=$(date +%s%N)
	for f in "${pdfs[@]}"; do pdftotext -layout -q "$f" - >/dev/null 2>&1; done
	t1=$(date +%s%N)
	ptt_ms=$(awk -v d=$(( (t1 - t0) / 1000 )) -v n=${#pdfs[@]} 'BEGIN { printf "%.2f", d / n / 1000 }')
	reading=$(awk -v n="${#pdfs[@]}" -v m="$mo_ms" -v x="$ptx_ms" -v r="$poll_ms" -v p="$ptt_ms" 'BEGIN {
		printf "        reading per document (%d PDFs, one process each tool): mailorder rules check %.3f ms, poppler text extraction as pdftotext does it %.3f ms | ratio %.2fx | (in the poll %.3f ms; pdftotext -layout once per file %.2f ms)",
			n, m, x, m / x, r, p }')
	echo "$line"
	echo "$reading"
	echo "        mailorder: $(grep "info : poll :" poll.stat | sed "s/^mailorder : info : //" | tr '\n' ' ')"
	echo "        mailorder: $(grep ^runstat poll.stat)"
	results+=("$line" "$reading")
	[ "$taken" = "$n" ] || { echo "bench: only $taken of $n messages taken in" >&2; exit 1; }
	t_cleanup
	trap - EXIT
	cd "$top" || exit 1
done
# A resent mailbox (issue "Intake under hostile input", point 8): a few
# distinct orders, BENCH_DISTINCT (default 20) of which BENCH_DISTINCT_SCANS
# (default 2) are scans, each resent again and again to make
# BENCH_RESENT_SIZES messages (default 1000 10000), each message its own
# (Message-ID, Date), as a customer who sends again or a sender who floods
# the mailbox.  A copy is known by its SHA-256 before any reading: it costs
# its fetch and its archiving.  Timed as mailorder poll --once, with the
# peak memory of the process tree (runstat: OCR helpers, Tesseract,
# included) and of the poll process alone (its own log).
# Targets: 500 messages a second, 64 MB.
for n in ${BENCH_RESENT_SIZES:-1000 10000}; do
	t_init
	trap t_cleanup EXIT
	dove_start || { echo "bench: Dovecot did not start" >&2; exit 1; }
	mo_config none
	mo_init_catalog || { echo "bench: init failed" >&2; exit 1; }
	doveadm -c "$DOVE_CONF" mailbox status -u "$DOVE_USER" messages INBOX >/dev/null
	distinct=${BENCH_DISTINCT:-20}
	nscans=${BENCH_DISTINCT_SCANS:-2}
	echo "bench: resent mailbox, $n messages from $distinct distinct orders ($nscans scans): generating" >&2
	docs=()
	for d in $(seq 1 "$distinct"); do
		{
			bench_po_spec 11 18 86 | sed "s/Commande N° BENCH-2026/Commande N° RENVOI-$d/"
			printf 'text 380 380 Total HT\nrtext 550 380 124,20\n'
		} | "$TOOLS/mkpdf" --standard-font "doc$d.pdf"
		if [ "$d" -le "$nscans" ]; then
			"$TOOLS/mkscan" "doc$d.pdf" "scan$d.pdf" --angle "0.$d" --seed "$d" --jpeg 75 || exit 1
			mv "scan$d.pdf" "doc$d.pdf"
		fi
		docs+=("doc$d.pdf")
	done
	write_maildir "$n" "$DOVE_MAILDIR" resent "${docs[@]}"
	bytes=$(du -sb "$DOVE_MAILDIR/new" | cut -f1)
	raw=("$TOOLS/rawfetch" 127.0.0.1 "$DOVE_IMAP_PORT" "$DOVE_USER" secrets/imap.pass 64)
	"${raw[@]}" >raw0.out || { echo "bench: raw fetch failed" >&2; exit 1; }
	"$TOOLS/runstat" "${raw[@]}" >raw.out 2>raw.stat || { echo "bench: raw fetch failed" >&2; exit 1; }
	echo "bench: resent mailbox, $n messages: mailorder poll --once" >&2
	"$TOOLS/runstat" ${BENCH_WRAP:-} "$MAILORDER" -c "$T_DIR/mailorder.conf" poll --once >poll.out 2>poll.stat ||
		{ echo "bench: poll failed:" >&2; tail -5 poll.stat >&2; exit 1; }
	read -r raw_s _ < <(stat_of raw.stat)
	read -r mo_s mo_kb < <(stat_of poll.stat)
	own_mb=$(sed -n 's/.*mémoire maximale de ce processus \([0-9.]*\) Mo.*/\1/p' poll.stat)
	taken=$(sql 'SELECT count(*) FROM messages')
	drafts=$(sql "SELECT count(*) FROM orders WHERE state = 'draft'")
	dups=$(sql "SELECT count(*) FROM quarantine WHERE reason = 'duplicate'")
	read_n=$(sed -n 's/.*poll : \([0-9]*\) PDF lu(s).*/\1/p' poll.stat)
	line=$(awk -v n="$n" -v b="$bytes" -v rs="$raw_s" -v ms="$mo_s" -v mk="$mo_kb" -v own="${own_mb:-0}" -v t="$taken" -v d="$drafts" -v u="$dups" -v r="${read_n:-0}" -v k="$distinct" -v sc="$nscans" 'BEGIN {
		printf "resent %6d messages (%6.1f MB, %d distinct orders, %d of them scans): raw fetch %6.2f s | mailorder poll --once %6.2f s (%5.0f msg/s), peak RSS %5.1f MB with the OCR helpers, %5.1f MB the poll alone | %d taken in, %d drafts, %d duplicates, %d PDFs read",
			n, b / 1e6, k, sc, rs, ms, n / ms, mk / 1024, own, t, d, u, r }')
	echo "$line"
	echo "        mailorder: $(grep "info : poll :" poll.stat | sed "s/^mailorder : info : //" | tr '\n' ' ')"
	results+=("$line")
	[ "$taken" = "$n" ] || { echo "bench: only $taken of $n messages taken in" >&2; exit 1; }
	t_cleanup
	trap - EXIT
	cd "$top" || exit 1
done
# Scans: BENCH_SCANS pages (default 5), each the bench's PO printed and
# scanned (tools/mkscan, turned and dusty, each its own), read by
# mailorder rules check --summary (render at 300 dpi, clean, OCR, read)
# beside the tesseract command on the same pages rendered at 300 dpi
# (pdftoppm), with the page segmentation mailorder uses; both on one
# thread (OMP_THREAD_LIMIT=1, as mailorder sets it), and tesseract as it
# comes (OpenMP threads) for reference.
if [ "${BENCH_SCANS:-5}" -gt 0 ]; then
	t_init
	trap t_cleanup EXIT
	mo_config none
	echo "bench: scans: making ${BENCH_SCANS:-5} pages" >&2
	bench_po_spec 11 18 86 | "$TOOLS/mkpdf" --standard-font po.pdf
	scans=()
	for i in $(seq "${BENCH_SCANS:-5}"); do
		"$TOOLS/mkscan" po.pdf "scan$i.pdf" --angle "1.$i" --seed "$i" || exit 1
		pdftoppm -r 300 -gray -singlefile "scan$i.pdf" "page$i"
		scans+=("scan$i.pdf")
	done
	n=${#scans[@]}
	"$TOOLS/runstat" "$MAILORDER" -c "$T_DIR/mailorder.conf" rules check --summary "${scans[@]}" >mo.out 2>mo.stat
	read -r mo_s mo_kb < <(stat_of mo.stat)
	lines=$(grep -c ', 8 ligne(s)' mo.out)
	t0=$(date +%s%N)
	for i in $(seq "$n"); do OMP_THREAD_LIMIT=1 tesseract "page$i.pgm" - -l fra+eng --psm 6 >/dev/null 2>&1; done
	t1=$(date +%s%N)
	for i in $(seq "$n"); do tesseract "page$i.pgm" - -l fra+eng --psm 6 >/dev/null 2>&1; done
	t2=$(date +%s%N)
	scan_line=$(awk -v n="$n" -v m="$mo_s" -v k="$mo_kb" -v a=$(( (t1 - t0) / 1000 )) -v b=$(( (t2 - t1) / 1000 )) -v l="$lines" 'BEGIN {
		printf "  scans (%d pages): mailorder rules check %.2f s a page (render, clean, OCR, read; peak RSS %.0f MB; %d of %d read whole) | tesseract command on the rendered pages, one thread %.2f s, as it comes %.2f s | ratio %.2fx (one thread)",
			n, m / n, k / 1024, l, n, a / n / 1e6, b / n / 1e6, (m / n) / (a / n / 1e6) }')
	echo "$scan_line"
	results+=("$scan_line")
	t_cleanup
	trap - EXIT
	cd "$top" || exit 1
fi
# OCR accuracy: the four layouts of tests/data/layouts (no rule reads
# them), each scanned BENCH_OCR_SCANS times (default 12: turned, dusty,
# 150 to 300 dpi, raw or JPEG, each its own), read by mailorder rules check;
# a line is right when its reference (or, without one, its description),
# quantity and unit price are those read from the PDF itself.  Counts the
# lines right and the lines wrong or made up.
if [ "${BENCH_OCR_SCANS:-12}" -gt 0 ]; then
	t_init
	trap t_cleanup EXIT
	mo_config none
	echo "bench: OCR accuracy: scanning the layouts ${BENCH_OCR_SCANS:-12} times each" >&2
	# "réf. R | description | qté Q unit | P.U. P | ..." as R|description
	# when R is none|Q|P: what a line must get right.
	line_keys() {
		"$MAILORDER" -c "$T_DIR/mailorder.conf" rules check "$1" 2>/dev/null |
			sed -n '/^Lignes/,/^$/p' | sed '1d;/^$/d' | perl -CS -ne '
				my @f = split /\s*\|\s*/;
				my ($r) = $f[0] =~ /réf\.\s*(\S+)/; my $d = "";
				if ($r eq "\x{2014}") { $d = lc $f[1]; $d =~ s/\W//g; }
				my ($q) = $f[2] =~ /qté\s*([\d ]+(?:,\d+)?)/; $q =~ s/ //g;
				my ($p) = $f[3] =~ /P\.U\.\s*([\d ]+,\d+)/; $p =~ s/ //g;
				print "$r|$d|$q|$p\n";'
	}
	right=0 total=0 wrong=0 pages=0
	for spec in "$top"/tests/data/layouts/*.spec; do
		name=$(basename "$spec" .spec)
		"$TOOLS/mkpdf" --standard-font "$name.pdf" <"$spec" || exit 1
		line_keys "$name.pdf" >"$name.truth"
		for i in $(seq "${BENCH_OCR_SCANS:-12}"); do
			angle=$(awk -v i="$i" 'BEGIN { printf "%.1f", ((i * 37) % 40 - 20) / 10 }')
			jpeg=()
			[ $((i % 2)) = 0 ] && jpeg=(--jpeg $((40 + i * 3)))
			"$TOOLS/mkscan" "$name.pdf" "$name-$i.pdf" --angle "$angle" --seed "$i" \
				--specks $((i * 100)) --dpi $((150 + (i % 4) * 50)) "${jpeg[@]}" || exit 1
			line_keys "$name-$i.pdf" >"$name-$i.got"
			total=$((total + $(wc -l <"$name.truth")))
			right=$((right + $(grep -Fxc -f "$name.truth" "$name-$i.got")))
			wrong=$((wrong + $(grep -Fxvc -f "$name.truth" "$name-$i.got")))
			pages=$((pages + $(pdfinfo "$name-$i.pdf" | awk '/^Pages:/ { print $2 }')))
		done
	done
	acc_line=$(awk -v r="$right" -v t="$total" -v w="$wrong" -v p="$pages" 'BEGIN {
		printf "  OCR accuracy (%d scanned pages of the 4 layouts no rule reads): %d of %d lines right (%.0f %%), %d wrong or made up", p, r, t, 100 * r / t, w }')
	echo "$acc_line"
	results+=("$acc_line")
	t_cleanup
	trap - EXIT
	cd "$top" || exit 1
fi
# Rendering: documents/render turning values into the PDF of an invoice
# (build/bench/render_bench, linked as its unit test is): 1000 invoices of
# 10 lines then 100 of 60 lines, on one thread, then on as many as the
# machine has cores (doc_render may run in several threads at once), each
# with documents a second, PDF size, resident memory after the first
# tenth and at the end (the same: nothing grows with the count) and peak.
# For reference, the same 10-line invoice written by groff (troff + tbl,
# one process a document as a script would run it), BENCH_GROFF_DOCS times
# (default 100): -Tpdf when gropdf is installed, else -Tps (groff-base has
# no PDF device: PostScript, and no font embedded, is less work than our
# PDF).  BENCH_RENDER=0 skips it.  Target: 500 invoices a second.
if [ "${BENCH_RENDER:-1}" != 0 ]; then
	render_bench=$top/build/bench/render_bench
	[ -x "$render_bench" ] || { echo "bench: no $render_bench (make bench builds it)" >&2; exit 1; }
	cores=$(nproc 2>/dev/null || echo 2)
	echo "bench: rendering 1000 + 100 invoices, one thread, then $cores" >&2
	while read -r l; do results+=("$l"); echo "$l"; done < <("$render_bench" "$top/templates" --threads 1) ||
		{ echo "bench: render_bench failed" >&2; exit 1; }
	if [ "$cores" -gt 1 ]; then
		while read -r l; do results+=("$l"); echo "$l"; done < <("$render_bench" "$top/templates" --threads "$cores")
	fi
	groff_dir=$(mktemp -d)
	"$render_bench" "$top/templates" --troff >"$groff_dir/invoice.tr"
	device=ps
	echo x | groff -Tpdf >/dev/null 2>&1 && device=pdf
	n=${BENCH_GROFF_DOCS:-100}
	if command -v groff >/dev/null; then
		t0=$(date +%s%N)
		for i in $(seq "$n"); do groff -k -t -T"$device" "$groff_dir/invoice.tr" >"$groff_dir/out"; done
		t1=$(date +%s%N)
		size=$(stat -c %s "$groff_dir/out")
		groff_line=$(awk -v n="$n" -v d=$(( (t1 - t0) / 1000 )) -v dev="$device" -v s="$size" 'BEGIN {
			printf "render reference: groff -t -T%s, the same 10-line invoice, one process each: %d in %.2f s, %6.0f documents/s, %5.1f KB a document%s",
				dev, n, d / 1e6, n / (d / 1e6), s / 1024, dev == "ps" ? " (PostScript: groff -Tpdf is not installed)" : "" }')
	else
		groff_line="render reference: groff is not installed"
	fi
	echo "$groff_line"
	results+=("$groff_line")
	rm -rf "$groff_dir"
fi
# Posting: BENCH_POSTS (default 10000) delivered orders of 10 lines, each
# with its draft invoice, written straight into a fresh database (SQL: the
# bench measures the posting, not the making of orders), then posted one
# by one as a clerk would, one "mailorder invoice post" process each:
# number, journal entry, invoice rendered and filed, committed (fsync).
# Prints the time a post and checks the numbers: gapless, each once.
# BENCH_POSTS=0 skips it.
posts=${BENCH_POSTS:-10000}
if [ "$posts" != 0 ]; then
	post_dir=$(mktemp -d)
	cat >"$post_dir/mailorder.conf" <<CONF
[company]
name = Sweetie Bio
address = Zone Industrielle La Ballastière
postcode = 33500
city = Libourne
siret = 12656292500092
vat = FR38126562925
legal_form = SAS
capital = 10000
rcs = Libourne
late_penalty = trois fois le taux d'intérêt légal

[storage]
database = var/mailorder.db
archive = var/archive
CONF
	pm() { "$MAILORDER" -c "$post_dir/mailorder.conf" "$@"; }
	echo "bench: $posts delivered orders of 10 lines, each invoice posted by its own process" >&2
	pm init >/dev/null && pm import customers "$top/tests/data/customers.csv" >/dev/null &&
		pm import products "$top/tests/data/products.csv" >/dev/null ||
		{ echo "bench: posting: init failed" >&2; exit 1; }
	sqlite3 "$post_dir/var/mailorder.db" <<SQL || { echo "bench: posting: the orders could not be made" >&2; exit 1; }
BEGIN;
CREATE TEMP TABLE s AS WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < $posts) SELECT n FROM s;
CREATE TEMP TABLE k AS WITH RECURSIVE k(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM k WHERE k < 10) SELECT k FROM k;
CREATE TEMP TABLE p AS SELECT row_number() OVER (ORDER BY id) AS i, * FROM products;
INSERT INTO orders (id, number, state, customer_id, order_date, created_at, updated_at)
  SELECT n, printf('SO%05d', n), 'delivered', (SELECT id FROM customers WHERE ref = 'CLI102'),
    '2026-11-20', '2026-11-20T10:00:00Z', '2026-11-20T10:00:00Z' FROM s;
INSERT INTO order_lines (order_id, lineno, product_id, description, qty_milli, unit_price_cents,
    vat_rate_bp, line_total_cents, po_lineno, po_qty_milli, po_unit_price_cents)
  SELECT n, k, p.id, p.name, 2000, p.unit_price_cents, p.vat_rate_bp, 2 * p.unit_price_cents, k, 2000,
    p.unit_price_cents FROM s, k JOIN p ON p.i = (k - 1) % (SELECT count(*) FROM p) + 1;
INSERT INTO deliveries (id, number, order_id, date, who, created_at)
  SELECT n, printf('BL%05d', n), n, '2026-11-25', 'bench', '2026-11-25T10:00:00Z' FROM s;
INSERT INTO delivery_lines (delivery_id, lineno, product_id, qty_milli)
  SELECT order_id, lineno, product_id, qty_milli FROM order_lines;
INSERT INTO invoices (id, state, order_id, customer_id, account, date, due_date, payment_terms,
    total_ht_cents, total_vat_cents, total_ttc_cents, created_at, who)
  SELECT n, 'draft', n, (SELECT id FROM customers WHERE ref = 'CLI102'), '411JARDI', '2026-11-30',
    '2027-01-14', '45 jours', 0, 0, 0, '2026-11-30T10:00:00Z', 'bench' FROM s;
INSERT INTO invoice_lines (invoice_id, lineno, order_lineno, product_ref, description, unit, qty_milli,
    unit_price_cents, vat_rate_bp, line_total_cents)
  SELECT l.order_id, l.lineno, l.lineno, p.ref, l.description, p.unit, l.qty_milli,
    l.unit_price_cents, l.vat_rate_bp, l.line_total_cents
  FROM order_lines l JOIN products p ON p.id = l.product_id;
INSERT INTO invoice_vat (invoice_id, rate_bp, base_cents, vat_cents)
  SELECT invoice_id, vat_rate_bp, sum(line_total_cents), (sum(line_total_cents) * vat_rate_bp + 5000) / 10000
  FROM invoice_lines GROUP BY invoice_id, vat_rate_bp;
UPDATE invoices SET
  total_ht_cents = (SELECT sum(base_cents) FROM invoice_vat v WHERE v.invoice_id = invoices.id),
  total_vat_cents = (SELECT sum(vat_cents) FROM invoice_vat v WHERE v.invoice_id = invoices.id);
UPDATE invoices SET total_ttc_cents = total_ht_cents + total_vat_cents;
INSERT INTO invoice_deliveries (invoice_id, delivery_id) SELECT n, n FROM s;
INSERT INTO sequences (name, value) VALUES ('SO', $posts), ('BL', $posts);
COMMIT;
SQL
	t0=$(date +%s%N)
	failed=0
	for n in $(seq "$posts"); do
		pm invoice post "$(printf 'SO%05d' "$n")" >/dev/null 2>>"$post_dir/post.err" || failed=$((failed + 1))
	done
	t1=$(date +%s%N)
	# as numbers: "FA2026-9999" sorts after "FA2026-10000" as text
	check=$(sqlite3 "$post_dir/var/mailorder.db" "SELECT count(*) || ' ' || count(DISTINCT number) || ' ' ||
		min(CAST(substr(number, 8) AS INTEGER)) || ' ' || max(CAST(substr(number, 8) AS INTEGER))
		FROM invoices WHERE state = 'posted'")
	set -- $check
	gapless=no
	[ "$1" = "$posts" ] && [ "$2" = "$posts" ] && [ "$3" = 1 ] && [ "$4" = "$posts" ] && gapless=yes
	entries_ok=$(sqlite3 "$post_dir/var/mailorder.db" "SELECT sum(debit_cents) = sum(credit_cents) FROM entries")
	post_line=$(awk -v n="$posts" -v d=$(( (t1 - t0) / 1000 )) -v f="$failed" -v g="$gapless" -v e="$entries_ok" 'BEGIN {
		printf "posting: %d invoices of 10 lines, one process each: %.1f s, %.1f ms a post (number, entry, PDF filed, commit); %d failed; numbers gapless and each once: %s; entries balanced: %s",
			n, d / 1e6, d / 1e3 / n, f, g, e == 1 ? "yes" : "no" }')
	echo "$post_line"
	results+=("$post_line")
	rm -rf "$post_dir"
fi
# The outbox: BENCH_OUTBOX mails (default 1000; 0 skips it), each the
# invoice mail a posted invoice queues (its FAC and BL PDFs attached, as
# validate and invoice post compose it, about 40 KB), made once through
# the chain and queued again with a Message-ID of its own each (SQL: the
# bench measures the sending), drained by one "mailorder send --once" to
# Debian's aiosmtpd on loopback storing each mail in a Maildir
# (tests/tools/smtpd.py; --fsync: as a real server, each mail on disk
# before its 250): the server offering PIPELINING, then not.  Beside it,
# the same mails submitted by swaks, one process and one session a mail
# as a script would, and what the server takes at most (tools/smtpblast.py:
# every mail in one stream, no waiting; aiosmtpd is Python, and may be the
# bound).  Target: 100 mails a second.
outbox_n=${BENCH_OUTBOX:-1000}
if [ "$outbox_n" != 0 ]; then
	t_init
	trap 'smtp_stop; t_cleanup' EXIT
	dove_start || { echo "bench: Dovecot did not start" >&2; exit 1; }
	mo_config none
	printf '\n[smtp]\nhost = 127.0.0.1\nport = 9\ntls = none\nfrom = Sweetie Bio <commandes@sweetiebio.fr>\n' >>mailorder.conf
	mo_init_catalog || { echo "bench: init failed" >&2; exit 1; }
	echo "bench: outbox: an invoice mail through the chain, queued $outbox_n times" >&2
	bench_po_spec 10 15 85 | "$TOOLS/mkpdf" --standard-font po.pdf
	mkeml --from "contact@bio-et-vrac.fr" --id "<bench-outbox@example.fr>" --attach po.pdf BENCH.pdf application/pdf >po.eml
	dove_deliver po.eml || { echo "bench: delivery failed" >&2; exit 1; }
	mo poll --once >/dev/null 2>&1
	dove_stop
	order=$(mo drafts --json | jq -r '.[0].number')
	mo validate "$order" --accept-warnings && mo deliver "$order" &&
		mo invoice "$order" --partial && mo invoice post "$order" ||
		{ echo "bench: outbox: the chain failed" >&2; exit 1; }
	sql "DELETE FROM outbox WHERE kind != 'invoice';
	     WITH RECURSIVE s(n) AS (SELECT 2 UNION ALL SELECT n + 1 FROM s WHERE n < $outbox_n)
	     INSERT INTO outbox (state, kind, order_id, message_ref, recipients, bcc, envelope_from, subject,
	                         message_id, attachments, raw, queued_at)
	       SELECT 'queued', kind, order_id, message_ref, recipients, bcc, envelope_from, subject,
	              'b' || n || '.' || message_id, attachments,
	              CAST(replace(CAST(raw AS TEXT), message_id, 'b' || n || '.' || message_id) AS BLOB), queued_at
	       FROM outbox, s WHERE kind = 'invoice'" ||
		{ echo "bench: outbox: queuing failed" >&2; exit 1; }
	mail_kb=$(sql "SELECT avg(length(raw)) / 1024.0 FROM outbox")
	pdfs_kb=$(find var/archive -name '*_FAC_*.pdf' -o -name '*_BL_*.pdf' | xargs stat -c %s | awk '{ s += $1 } END { printf "%.1f", s / 1024 }')
	rcpt=$(sql "SELECT recipients FROM outbox LIMIT 1")
	mkdir -p mails
	sql "SELECT writefile('mails/' || id || '.eml', raw) FROM outbox" >/dev/null
	# outbox_send MODE COUNT RTT_MS [SMTPD OPTIONS]: COUNT mails queued
	# again, a fresh server (behind tools/delayproxy.py when RTT_MS is not
	# 0), mailorder send --once timed: "SECONDS RECEIVED DUPLICATES CPU"
	outbox_send() {
		local mode=$1 count=$2 rtt=$3 port proxy= s cpu
		shift 3
		rm -rf smtp-maildir smtp-events proxy.port
		sql "UPDATE outbox SET state = CASE WHEN id IN (SELECT id FROM outbox ORDER BY id LIMIT $count)
		     THEN 'queued' ELSE 'dead' END, tries = 0, next_try_at = NULL, last_error = NULL, sent_at = NULL"
		smtp_start --fsync "$@" || { echo "bench: aiosmtpd did not start" >&2; exit 1; }
		port=$SMTP_PORT
		if [ "$rtt" != 0 ]; then
			/usr/bin/python3 "$top/tests/tools/delayproxy.py" proxy.port "$SMTP_PORT" "$rtt" &
			proxy=$!
			for _ in $(seq 100); do [ -s proxy.port ] && break; sleep 0.05; done
			port=$(cat proxy.port)
		fi
		sed -i "/^\[smtp\]/,\$ s/^port = .*/port = $port/" mailorder.conf
		echo "bench: outbox: $count mails, mailorder send --once ($mode, round trip $rtt ms)" >&2
		"$TOOLS/runstat" "$MAILORDER" -c "$T_DIR/mailorder.conf" send --once >send.out 2>send.stat ||
			{ echo "bench: send failed:" >&2; tail -3 send.stat >&2; exit 1; }
		[ -n "$proxy" ] && kill "$proxy" && wait "$proxy" 2>/dev/null
		smtp_stop
		read -r s _ < <(stat_of send.stat)
		cpu=$(sed -n 's/.* \([0-9.]*\) s user, \([0-9.]*\) s sys.*/\1 \2/p' send.stat | awk '{ print $1 + $2 }')
		echo "$s $(smtp_received | wc -l) $(smtp_received | xargs grep -hi '^Message-ID:' | sort | uniq -d | wc -l) $cpu"
	}
	read -r pipe_s pipe_n pipe_dup pipe_cpu < <(outbox_send pipelined "$outbox_n" 0 --pipelining)
	read -r turn_s turn_n turn_dup _ < <(outbox_send "one command at a time" "$outbox_n" 0)
	sent=$(sql "SELECT count(*) FROM outbox WHERE state = 'sent'")
	# swaks: one process, one session a mail
	rm -rf smtp-maildir smtp-events
	smtp_start --fsync || { echo "bench: aiosmtpd did not start" >&2; exit 1; }
	echo "bench: outbox: $outbox_n mails, swaks one process each" >&2
	t0=$(date +%s%N)
	for f in mails/*.eml; do
		swaks --silent 2 --server 127.0.0.1 --port "$SMTP_PORT" --from commandes@sweetiebio.fr \
			--to "$rcpt" --data "@$f" || { echo "bench: swaks failed on $f" >&2; exit 1; }
	done
	t1=$(date +%s%N)
	swaks_n=$(smtp_received | wc -l)
	smtp_stop
	# the server alone
	rm -rf smtp-maildir smtp-events
	smtp_start --fsync || { echo "bench: aiosmtpd did not start" >&2; exit 1; }
	echo "bench: outbox: $outbox_n mails in one stream (the server alone)" >&2
	blast_s=$(/usr/bin/python3 "$top/tests/tools/smtpblast.py" "$SMTP_PORT" commandes@sweetiebio.fr "$rcpt" mails/*.eml |
		sed -n 's/^smtpblast: .*, \([0-9.]*\) s$/\1/p')
	smtp_stop
	outbox_line=$(awk -v n="$outbox_n" -v cpu="$pipe_cpu" -v kb="$mail_kb" -v pk="$pdfs_kb" -v ps="$pipe_s" -v ts="$turn_s" \
		-v pn="$pipe_n" -v tn="$turn_n" -v pd="$pipe_dup" -v td="$turn_dup" -v st="$sent" \
		-v sw=$(( (t1 - t0) / 1000 )) -v swn="$swaks_n" -v bs="${blast_s:-0}" 'BEGIN {
		printf "outbox: %d mails of %.1f KB (an invoice mail: FAC + BL, %.1f KB of PDF) to aiosmtpd on loopback (Maildir, fsync): mailorder send --once pipelined %6.2f s (%5.0f mails/s, %.2f ms of CPU a mail), one command at a time %6.2f s (%5.0f mails/s) | swaks, one process a mail %6.2f s (%5.0f mails/s) | the server alone (one stream, no waiting) %6.2f s (%5.0f mails/s) | received %d and %d, duplicates %d and %d, %d marked sent; swaks %d",
			n, kb, pk, ps, n / ps, cpu * 1000 / n, ts, n / ts, sw / 1e6, n / (sw / 1e6), bs, (bs > 0 ? n / bs : 0), pn, tn, pd, td, st, swn }')
	echo "$outbox_line"
	results+=("$outbox_line")
	# Away from loopback: BENCH_OUTBOX_RTT_MS of round trip (default 10; 0
	# skips it), BENCH_OUTBOX_RTT_MAILS mails (default 200), pipelined
	# (two round trips a mail) and not (four).
	rtt=${BENCH_OUTBOX_RTT_MS:-10}
	rtt_n=$(( ${BENCH_OUTBOX_RTT_MAILS:-200} < outbox_n ? ${BENCH_OUTBOX_RTT_MAILS:-200} : outbox_n ))
	if [ "$rtt" != 0 ]; then
		read -r rp_s rp_n _ _ < <(outbox_send pipelined "$rtt_n" "$rtt" --pipelining)
		read -r rt_s rt_n _ _ < <(outbox_send "one command at a time" "$rtt_n" "$rtt")
		rtt_line=$(awk -v n="$rtt_n" -v r="$rtt" -v ps="$rp_s" -v ts="$rt_s" -v pn="$rp_n" -v tn="$rt_n" 'BEGIN {
			printf "        the same through a %d ms round trip (tools/delayproxy.py), %d mails: pipelined %6.2f s (%5.0f mails/s), one command at a time %6.2f s (%5.0f mails/s) | pipelining %.2fx | received %d and %d",
				r, n, ps, n / ps, ts, n / ts, ts / ps, pn, tn }')
		echo "$rtt_line"
		results+=("$rtt_line")
	fi
	t_cleanup
	trap - EXIT
	cd "$top" || exit 1
fi
# The acknowledgment's latency under mailorder run (tests/bench/latency.sh;
# BENCH_LATENCY orders, default 200, 0 skips it).
if [ "${BENCH_LATENCY:-200}" -gt 0 ]; then
	latency_line=$(BENCH_LATENCY=${BENCH_LATENCY:-200} bash "$top/tests/bench/latency.sh" | tail -1)
	echo "$latency_line"
	results+=("$latency_line")
fi
echo
echo "== make bench (targets: within 1.5x of the raw fetch, peak RSS under 64 MB and the same at both sizes; reading within 1.5x of pdftotext per document; a resent mailbox at 500 messages a second or more, peak RSS under 64 MB; OCR no slower than the tesseract command, bounded memory; 500 invoices rendered a second or more, RSS the same after 100 and 1000; the outbox at 100 mails a second or more; the acknowledgment under run at p99 < 2 s)"
printf '%s\n' "${results[@]}"
