#!/usr/bin/env bash
# make deps on a machine where another apt holds the lock (a fresh VM's
# daily upgrade): it waits, says so, and goes on; past its bound it stops
# with a clear line.  apt-get itself is replaced here by a stand-in that
# answers as apt does when its lock is taken (the real one would install).
. "$(dirname "$0")/lib.sh"
t_init
if [ "$(id -u)" != 0 ]; then
	t_ok "make deps installs as root only: not tested as $(id -un)" true
	t_done
	exit 0
fi
cat >fake-apt-get <<'SH'
#!/bin/sh
# $COUNT: the updates refused before one is let through; it speaks as apt
# does in the locale it is given (French unless the C locale is asked)
case "${LC_ALL:-${LANG:-}}" in C*) lock="E: Could not get lock /var/lib/apt/lists/lock. It is held by process 4242 (apt-get)" ;;
*) lock="E: Impossible d'obtenir le verrou /var/lib/apt/lists/lock. Il est tenu par le processus 4242 (apt-get)" ;; esac
n=$(cat "$STATE" 2>/dev/null || echo 0)
case "$*" in
*update*)
	if [ "$n" -lt "$COUNT" ]; then
		echo $((n + 1)) >"$STATE"
		echo "$lock" >&2
		exit 100
	fi
	echo "Reading package lists..."; exit 0 ;;
*install*) echo "installed: $*" >>"$STATE.log"; exit 0 ;;
esac
exit 1
SH
chmod +x fake-apt-get
STATE=$T_DIR/state COUNT=2 LANG=fr_FR.UTF-8 make -s -C "$SRCDIR" deps DEB_ALL=mailorder-no-such-package \
	APT_GET="$T_DIR/fake-apt-get" APT_LOCK_RETRY=1 APT_LOCK_WAIT=5 >out 2>err
t_is "$?" 0 "apt busy twice: make deps waits, then installs"
t_is "$(grep -c "apt est occupé par un autre programme : nouvel essai dans 1 s" out)" 2 "saying so each time"
t_like "$(cat state.log)" "install -y -q --no-install-recommends mailorder-no-such-package" "then installs what is missing"
rm -f state state.log
STATE=$T_DIR/state COUNT=100 make -s -C "$SRCDIR" deps DEB_ALL=mailorder-no-such-package \
	APT_GET="$T_DIR/fake-apt-get" APT_LOCK_RETRY=1 APT_LOCK_WAIT=2 >out 2>err
t_is "$?" 2 "apt busy for good: make deps stops"
t_like "$(cat err)" "deps : apt est occupé depuis [23] s par un autre programme .*relancez make deps quand il aura fini" \
	"with one clear line"
t_ok "nothing installed" test ! -e state.log
t_done
