#!/usr/bin/env bash
# check-layers.sh [SRC]: the source tree's parts include only downward
# (README, "The source tree").  Each part has a rank; a file of src/PART/
# may include a header of its own part or of a part of lower rank, never
# of the same rank (reading, mail and documents know nothing of each
# other) nor higher.  Every include of ours is written with its folder
# ("store/db.h"), so that this check, and a grep, see where it points.
# Prints each wrong include as FILE:LINE and exits 1 when there is one.
src=${1:-$(dirname "$0")/../src}
declare -A rank=([lib]=1 [store]=2 [reading]=3 [mail]=3 [documents]=3 [orders]=4
	[intake]=5 [web]=6 [cli]=7)
bad=0
shopt -s nullglob
for dir in "$src"/*/; do
	part=$(basename "$dir")
	if [ -z "${rank[$part]}" ]; then
		echo "check-layers: src/$part/ is no part of the tree (README, \"The source tree\")"
		bad=1
		continue
	fi
	for f in "$dir"*.[ch]; do
		n=0
		while IFS= read -r line; do
			n=$((n + 1))
			if [[ $line =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*\<([a-z]+)/ ]] &&
				[ -n "${rank[${BASH_REMATCH[1]}]}" ]; then
				echo "src/$part/$(basename "$f"):$n: $line: one of ours, in angle brackets"
				bad=1
				continue
			fi
			[[ $line =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*\"([^\"]*)\" ]] || continue
			inc=${BASH_REMATCH[1]}
			where="src/$part/$(basename "$f"):$n: #include \"$inc\""
			if [[ $inc != */* ]]; then
				echo "$where: written without its folder"
				bad=1
				continue
			fi
			to=${inc%%/*}
			if [ -z "${rank[$to]}" ]; then
				echo "$where: no such part"
				bad=1
			elif [ "$to" != "$part" ] && [ "${rank[$to]}" -ge "${rank[$part]}" ]; then
				echo "$where: points up or sideways ($part may include only lower parts)"
				bad=1
			fi
		done <"$f"
	done
done
for f in "$src"/*.[ch]; do
	echo "check-layers: src/$(basename "$f") is outside any part"
	bad=1
done
exit $bad
