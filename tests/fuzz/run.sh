#!/bin/bash
# tests/fuzz/run.sh OUT SECONDS NAME:MAX_LEN...: runs the libFuzzer targets
# built in OUT (make fuzz), one after the other, SECONDS each.
#
# Each target works on OUT/corpus/NAME/, seeded from tests/fuzz/seeds/NAME/
# (the checked-in seeds are only read), with tests/fuzz/NAME.dict when
# there is one.  Its output goes to OUT/logs/NAME.log; a crash, leak,
# timeout or out-of-memory input goes to OUT/artifacts/NAME-*.  Before
# fuzzing, the inputs tests/fuzz/repro/NAME-* are run once: a bug kept
# there fails the run until it is fixed.  Prints one line of figures per
# target; exits 1 if any target found something or a reproducer fails.
set -u

[ $# -ge 3 ] || { echo "usage: $0 OUT SECONDS NAME:MAX_LEN..." >&2; exit 2; }
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$1 secs=$2
shift 2
timeout_s=${FUZZ_TIMEOUT:-10}

export ASAN_OPTIONS=detect_leaks=1:symbolize=1:allocator_may_return_null=0:handle_sigtrap=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$top/tests/lsan.supp:print_suppressions=0
# GLib's slice allocator would hide use-after-free and leaks from ASan;
# a GLib critical (a g_return_if_fail that failed) is a bug: fatal.
export G_SLICE=always-malloc G_DEBUG=gc-friendly,fatal-criticals
for s in /usr/lib/llvm-14/bin/llvm-symbolizer /usr/bin/llvm-symbolizer; do
	[ -x "$s" ] && { export ASAN_SYMBOLIZER_PATH=$s; break; }
done

mkdir -p "$out/artifacts" "$out/logs"
failed=0
for spec in "$@"; do
	name=${spec%%:*} max_len=${spec#*:}
	bin=$out/fuzz_$name corpus=$out/corpus/$name log=$out/logs/$name.log
	dict=$top/tests/fuzz/$name.dict
	mkdir -p "$corpus"
	cp -n "$top/tests/fuzz/seeds/$name/"* "$corpus/" 2>/dev/null
	stamp=$out/logs/$name.start
	: >"$stamp"
	args=(-max_total_time="$secs" -rss_limit_mb=2048 -max_len="$max_len"
	      -timeout="$timeout_s" -print_final_stats=1
	      -artifact_prefix="$out/artifacts/$name-")
	[ -f "$dict" ] && args+=(-dict="$dict")

	# Inputs kept in tests/fuzz/repro/ for a bug not fixed yet: they must
	# pass before the run counts as clean (then they stay as regressions).
	repros=$(find "$top/tests/fuzz/repro" -name "$name-*" -type f 2>/dev/null | sort)
	if [ -n "$repros" ] &&
		! "$bin" $repros </dev/null >"$out/logs/$name.repro.log" 2>&1; then
		failed=1
		echo "fuzz: $name: a reproducer in tests/fuzz/repro/ still fails" \
			"(log: $out/logs/$name.repro.log):" >&2
		grep -E -- '-CRITICAL |ERROR|SUMMARY|^Running|runtime error' \
			"$out/logs/$name.repro.log" | tail -n 6 >&2
	fi

	echo "fuzz: $name for ${secs}s (log: $log)"
	start=$(date +%s)
	"$bin" "${args[@]}" "$corpus" </dev/null >"$log" 2>&1
	rc=$?
	took=$(( $(date +%s) - start ))

	# Figures: the last status line (cov, ft, corp) and the final stats.
	status=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
	stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -n 1; }
	cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$status")
	ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$status")
	corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9a-zA-Z]*\).*/\1/p' <<<"$status")

	# The working corpus keeps every file written, reduced ones too: keep
	# only the inputs that add coverage (after a clean run only; kept as it
	# was if that fails).
	rm -rf "$corpus.merge"
	mkdir -p "$corpus.merge"
	if [ "$rc" = 0 ] && "$bin" -merge=1 -max_len="$max_len" -timeout="$timeout_s" -rss_limit_mb=2048 \
		-artifact_prefix="$out/artifacts/$name-merge-" "$corpus.merge" "$corpus" \
		</dev/null >"$out/logs/$name.merge.log" 2>&1; then
		rm -rf "$corpus" && mv "$corpus.merge" "$corpus"
	else
		rm -rf "$corpus.merge"
	fi
	printf 'fuzz: %-6s %4ss  %s runs  %s exec/s  cov %s  ft %s  corpus %s, %s files kept  rss %s MB  exit %s\n' \
		"$name" "$took" "$(stat number_of_executed_units)" "$(stat average_exec_per_sec)" \
		"${cov:-?}" "${ft:-?}" "${corp:-?}" "$(find "$corpus" -type f | wc -l)" \
		"$(stat peak_rss_mb)" "$rc"

	found=$(find "$out/artifacts" -name "$name-*" -newer "$stamp" -type f ! -name "$name-slow-unit-*")
	if [ "$rc" != 0 ] || [ -n "$found" ]; then
		failed=1
		echo "fuzz: $name FAILED (exit $rc); the report:" >&2
		sed -n '/^==[0-9]*==ERROR\|runtime error\|-CRITICAL \|^==[0-9]*== ERROR\|deadly signal\|ALARM\|out-of-memory/,$p' \
			"$log" | head -n 60 >&2
		for f in $found; do
			echo "fuzz: reproducer: $f  (run: $bin $f)" >&2
		done
	fi
done
exit $failed
