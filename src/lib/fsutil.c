#include "lib/fsutil.h"

#include "lib/error.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static int fail_errno(GError **error, const char *what, const char *path)
{
	int saved = errno;

	g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "%s %s : %s", what, path,
		    mo_strerror(saved));
	errno = saved;
	return -1;
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Creates "dir/prefix.XXXXXX" with O_EXCL (mkostemp) and writes data. */
static int write_new_temp(const char *dir, const char *prefix, const void *data, size_t len,
			  char **path_r, int *fd_r, GError **error)
{
	char *path = g_strdup_printf("%s/%s.XXXXXX", dir, prefix);
	int fd = mkostemp(path, O_CLOEXEC);

	if (fd < 0) {
		fail_errno(error, "impossible de créer un fichier temporaire dans", dir);
		g_free(path);
		return -1;
	}
	if (write_all(fd, data, len) < 0) {
		fail_errno(error, "impossible d'écrire", path);
		close(fd);
		unlink(path);
		g_free(path);
		return -1;
	}
	*path_r = path;
	*fd_r = fd;
	return 0;
}

int fsutil_write_temp(const char *dir, const char *prefix, const void *data, size_t len,
		      char **path_r, GError **error)
{
	int fd;

	if (write_new_temp(dir, prefix, data, len, path_r, &fd, error) < 0)
		return -1;
	if (close(fd) < 0) {
		fail_errno(error, "impossible de fermer", *path_r);
		unlink(*path_r);
		g_clear_pointer(path_r, g_free);
		return -1;
	}
	return 0;
}

int fsutil_write_atomic(const char *path, const void *data, size_t len, GError **error)
{
	g_autofree char *dir = g_path_get_dirname(path);
	g_autofree char *base = g_path_get_basename(path);
	g_autofree char *prefix = g_strdup_printf(".%s", base);
	g_autofree char *tmp = NULL;
	int fd;

	if (write_new_temp(dir, prefix, data, len, &tmp, &fd, error) < 0)
		return -1;
	/* Order is important: data on disk before the name points at it. */
	if (fsync(fd) < 0) {
		fail_errno(error, "impossible d'écrire sur le disque (fsync)", tmp);
		close(fd);
		unlink(tmp);
		return -1;
	}
	if (close(fd) < 0) {
		fail_errno(error, "impossible de fermer", tmp);
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, path) < 0) {
		fail_errno(error, "impossible de renommer vers", path);
		unlink(tmp);
		return -1;
	}
	return fsutil_fsync_dir(dir, error);
}

int fsutil_mkdir_p(const char *dir, GError **error)
{
	if (g_mkdir_with_parents(dir, 0750) < 0)
		return fail_errno(error, "impossible de créer le dossier", dir);
	return 0;
}

int fsutil_read_file(const char *path, size_t max, char **data_r, size_t *len_r,
		     GError **error)
{
	/* O_NONBLOCK: opening a FIFO would otherwise wait for a writer
	 * forever; it is refused below (no effect on a regular file). */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	struct stat st;
	char *buf;
	size_t got = 0;

	if (fd < 0)
		return fail_errno(error, "impossible d'ouvrir", path);
	if (fstat(fd, &st) < 0) {
		fail_errno(error, "impossible de lire l'état de", path);
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		g_set_error(error, MO_ERROR, MO_ERROR_INVALID, "impossible de lire %s : ce n'est pas un fichier",
			    path);
		close(fd);
		return -1;
	}
	if ((uint64_t)st.st_size > max) {
		g_set_error(error, MO_ERROR, MO_ERROR_INVALID,
			    "impossible de lire %s : %lld octets, plus que les %zu permis", path,
			    (long long)st.st_size, max);
		close(fd);
		return -1;
	}
	buf = g_malloc((size_t)st.st_size + 1);
	/* The file may grow while we read: never past what we allocated. */
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fail_errno(error, "impossible de lire", path);
			close(fd);
			g_free(buf);
			return -1;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	*data_r = buf;
	if (len_r)
		*len_r = got;
	return 0;
}

int fsutil_fsync_dir(const char *dir, GError **error)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return fail_errno(error, "impossible d'ouvrir le dossier", dir);
	if (fsync(fd) < 0) {
		fail_errno(error, "impossible d'écrire sur le disque (fsync) le dossier", dir);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int fsutil_sync_fs(const char *path, GError **error)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return fail_errno(error, "impossible d'ouvrir", path);
	if (syncfs(fd) < 0) {
		fail_errno(error, "impossible de synchroniser le système de fichiers de", path);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int fsutil_purge(const char *dir, const char *prefix, GError **error)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t plen = strlen(prefix);
	int count = 0;

	if (d == NULL) {
		if (errno == ENOENT)
			return 0;
		return fail_errno(error, "impossible d'ouvrir le dossier", dir);
	}
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, prefix, plen) != 0)
			continue;
		if (unlinkat(dirfd(d), e->d_name, 0) == 0)
			count++;
	}
	closedir(d);
	return count;
}

#define LOCK_NOTE_MAX 200

int fsutil_lock_try(const char *path, const char *note, int *fd_r, char **holder_r,
		    GError **error)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);

	*fd_r = -1;
	if (holder_r != NULL)
		*holder_r = NULL;
	if (fd < 0)
		return fail_errno(error, "impossible d'ouvrir", path);
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK) {
			fail_errno(error, "impossible de verrouiller", path);
			close(fd);
			return -1;
		}
		if (holder_r != NULL) {
			char buf[LOCK_NOTE_MAX + 1];
			ssize_t n = pread(fd, buf, LOCK_NOTE_MAX, 0);

			/* the holder may not have written its note yet: none then */
			if (n > 0) {
				buf[n] = '\0';
				buf[strcspn(buf, "\n")] = '\0';
				if (buf[0] != '\0')
					*holder_r = g_strdup(buf);
			}
		}
		close(fd);
		return 0;
	}
	if (note != NULL) {
		g_autofree char *line = g_strdup_printf("%s\n", note);

		/* a note is only a hint for the refused: failing to write it
		 * takes nothing from the lock */
		if (ftruncate(fd, 0) < 0 || pwrite(fd, line, strlen(line), 0) < 0) {
		}
	}
	*fd_r = fd;
	return 1;
}

void fsutil_lock_release(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

char *fsutil_resolve(const char *base, const char *rel)
{
	if (g_path_is_absolute(rel))
		return g_strdup(rel);
	return g_build_filename(base, rel, NULL);
}
