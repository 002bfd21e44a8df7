/* sdnotify.h: telling systemd how a Type=notify service is doing, without
 * libsystemd: sd_notify(3)'s protocol, one datagram to the AF_UNIX socket
 * $NOTIFY_SOCKET names (a path, or "@name" for an abstract socket).
 * Outside systemd (no $NOTIFY_SOCKET) it does nothing.
 */
#ifndef MO_SDNOTIFY_H
#define MO_SDNOTIFY_H

#include <glib.h>

/* Sends state, lines of "KEY=value" ("READY=1", "STOPPING=1",
 * "STATUS=..."); 0 when sent or when there is no one to tell, -1 with
 * why (the service goes on: systemd then says it did not hear). */
int sdnotify(const char *state, GError **error);

/* "RELOADING=1" with the MONOTONIC_USEC= systemd 253 and later want with
 * it (older ones ignore it). */
int sdnotify_reloading(GError **error);

#endif
