#include "crashpoint.h"

#include <glib.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

void crashpoint(const char *name)
{
	static int state;          /* 0 unread, 1 armed, 2 off */
	static char wanted[64];
	static long target = 1;
	static long hits;
	const char *env;

	if (state == 0) {
		env = getenv("MAILORDER_CRASHPOINT");
		state = 2;
		if (env != NULL && env[0] != '\0') {
			const char *colon = strchr(env, ':');
			size_t n = colon ? (size_t)(colon - env) : strlen(env);

			if (n < sizeof(wanted)) {
				memcpy(wanted, env, n);
				wanted[n] = '\0';
				target = colon ? strtol(colon + 1, NULL, 10) : 1;
				state = 1;
			}
		}
	}
	if (state != 1 || strcmp(name, wanted) != 0)
		return;
	if (++hits >= target)
		raise(SIGKILL);
}
