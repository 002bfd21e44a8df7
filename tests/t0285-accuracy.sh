#!/usr/bin/env bash
# The generic reader on layouts no rule describes (issue "Intake IV"):
# a few documents of each generated kind (tests/accuracy/), through
# Dovecot as make accuracy sends them; each kind has at least 9 lines in
# 10 right (our reference, the quantity and the price) and none invented.
. "$(dirname "$0")/lib.sh"
t_init
ACCURACY_COUNT=${ACCURACY_COUNT:-4} ACCURACY_SCANS=${ACCURACY_SCANS:-2} KEEP= \
	bash "$SRCDIR/tests/accuracy/run.sh" >table.txt 2>err.txt
t_is "$?" 0 "make accuracy runs (a few documents of each kind)"
for kind in erp legacy webshop browser form scan; do
	row=$(grep "^| $kind |" table.txt)
	right=$(sed -n 's/^| [a-z]* | [0-9]* | [0-9]* | [^|]* | \([0-9]*\)\/\([0-9]*\) .*/\1 \2/p' <<<"$row")
	invented=$(awk -F' [|] ' '{ print $6 }' <<<"$row")
	read -r got all <<<"$right"
	t_ok "$kind: 9 lines in 10 right or better ($got/${all:-?})" test -n "$got" -a "$((got * 10))" -ge "$((${all:-1} * 9))"
	t_is "$invented" 0 "$kind: no line invented"
done
t_diag "$(cat table.txt)"
t_done
