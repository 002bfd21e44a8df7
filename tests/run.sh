#!/usr/bin/env bash
# tests/run.sh [--unit-only|--integration-only] BUILD_DIR
# Runs the unit tests (BUILD_DIR/tests/test_*) and the integration tests
# (tests/t[0-9]*.sh) against BUILD_DIR/mailorder, with prove.
set -eu
mode=all
case "${1:-}" in
--unit-only) mode=unit; shift ;;
--integration-only) mode=integration; shift ;;
esac
build=${1:?usage: tests/run.sh [--unit-only|--integration-only] BUILD_DIR}
top=$(cd "$(dirname "$0")/.." && pwd)
case $build in
/*) ;;
*) build=$top/$build ;;
esac
[ -x "$build/mailorder" ] || { echo "tests/run.sh: no $build/mailorder (make first)" >&2; exit 2; }

export MAILORDER=$build/mailorder TOOLS=$build/tools SRCDIR=$top
# Sanitizer builds: fail on the first report; GLib and the libraries keep
# some memory for the life of the process (suppressed, see the file).
export ASAN_OPTIONS=abort_on_error=0:detect_leaks=1:halt_on_error=1:exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=98
export LSAN_OPTIONS=suppressions=$top/tests/lsan.supp:print_suppressions=0
export G_SLICE=always-malloc G_DEBUG=gc-friendly

jobs=$(nproc 2>/dev/null || echo 2)
echo "== $(basename "$build"): unit and integration tests"
units=()
[ "$mode" != integration ] && units=("$build"/tests/test_*)
integ=()
[ "$mode" != unit ] && integ=("$top"/tests/t[0-9]*.sh)
args=()
for u in "${units[@]}"; do [ -x "$u" ] && [ "${u%.o}" = "$u" ] && [ "${u%.d}" = "$u" ] && args+=("$u"); done
for t in "${integ[@]}"; do [ -f "$t" ] && args+=("$t"); done
[ ${#args[@]} -gt 0 ] || { echo "no tests found" >&2; exit 1; }
exec prove -j"$jobs" --exec '' "${args[@]}"
