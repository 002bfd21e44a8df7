/* sdnotify.c: sd_notify's protocol (sdnotify.h). */
#include "lib/sdnotify.h"

#include "lib/error.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int sdnotify(const char *state, GError **error)
{
	const char *name = g_getenv("NOTIFY_SOCKET");
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	size_t len;
	socklen_t addr_len;
	ssize_t sent;
	int fd, saved;

	if (name == NULL || name[0] == '\0')
		return 0;
	len = strlen(name);
	if ((name[0] != '/' && name[0] != '@') || len >= sizeof(addr.sun_path)) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
			    "NOTIFY_SOCKET « %s » : ni un chemin ni une socket abstraite (@nom)", name);
		return -1;
	}
	memcpy(addr.sun_path, name, len);
	/* an abstract socket's name starts with a NUL byte, and its length
	 * is counted exactly (no final NUL) */
	if (name[0] == '@')
		addr.sun_path[0] = '\0';
	addr_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + (name[0] == '/'));
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "impossible d'ouvrir une socket pour "
			    "systemd : %s", mo_strerror(errno));
		return -1;
	}
	do {
		sent = sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&addr,
			      addr_len);
	} while (sent < 0 && errno == EINTR);
	saved = errno;
	close(fd);
	if (sent < 0) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "impossible de prévenir systemd par %s : %s",
			    name, mo_strerror(saved));
		return -1;
	}
	return 0;
}

int sdnotify_reloading(GError **error)
{
	g_autofree char *state = g_strdup_printf("RELOADING=1\nMONOTONIC_USEC=%" G_GINT64_FORMAT,
						 g_get_monotonic_time());

	return sdnotify(state, error);
}
