#!/usr/bin/env bash
# The source tree's parts include only downward (tests/check-layers.sh).
. "$(dirname "$0")/lib.sh"
t_init

check=$SRCDIR/tests/check-layers.sh
"$check" "$SRCDIR/src" >out 2>&1
t_is "$?" 0 "every include of src/ points down or within its part"
t_is "$(cat out)" "" "and nothing is reported"

# The check itself, on a small tree of each kind of wrong include.
mkdir -p tree/lib tree/store tree/orders tree/reading tree/mail
printf '#include "lib/log.h"\n#include <stdio.h>\n' >tree/store/db.h
printf '#include "store/db.h"\n#include "reading/pdf.h"\n' >tree/orders/order.c
"$check" tree >out 2>&1
t_is "$?" 0 "downward includes pass"
printf '#include "orders/order.h"\n' >tree/store/up.c
printf '#include "mail/mime.h"\n' >tree/reading/side.c
printf '#include "log.h"\n' >tree/lib/bare.c
printf '#include "nowhere/x.h"\n' >tree/mail/odd.c
printf '#include <glib.h>\n#include <orders/order.h>\n' >tree/mail/angle.c
mkdir tree/misc && touch tree/stray.c
"$check" tree >out 2>&1
t_is "$?" 1 "wrong includes fail"
t_like "$(cat out)" "src/store/up.c:1: #include \"orders/order.h\": points up" "an include that points up is named"
t_like "$(cat out)" "src/reading/side.c:1: #include \"mail/mime.h\": points up or sideways" "so is one to a part of the same rank"
t_like "$(cat out)" "src/lib/bare.c:1: #include \"log.h\": written without its folder" "so is one without its folder"
t_like "$(cat out)" "src/mail/odd.c:1: #include \"nowhere/x.h\": no such part" "so is one to no part"
t_like "$(cat out)" "src/mail/angle.c:2: #include <orders/order.h>: one of ours, in angle brackets" \
	"so is one of ours in angle brackets (a system header is not)"
t_unlike "$(cat out)" "glib.h" "a system header is nothing to report"
t_like "$(cat out)" "src/misc/ is no part" "a folder that is no part is named"
t_like "$(cat out)" "src/stray.c is outside any part" "so is a file outside the parts"
t_done
