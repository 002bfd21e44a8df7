#include "store/archive.h"

#include "lib/digest.h"

#include "lib/error.h"
#include "lib/fsutil.h"
#include "store/naming.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STAGE_PREFIX "stage-"
#define MAX_CLASHES 1000

struct archive {
	char *root;
	char *staging_top;    /* <root>/../tmp */
	char *staging;        /* this handle's own folder in it */
};

struct archive_stage {
	archive *a;
	char *path;
	int fd;
	digest *sum;          /* NULL once finished */
	char *sha256;
	int64_t size;
	gboolean committed;
};

archive *archive_open(const char *root, const char *role, GError **error)
{
	g_autofree char *parent = g_path_get_dirname(root);
	archive *a;

	if (fsutil_mkdir_p(root, error) < 0)
		return NULL;
	a = g_new0(archive, 1);
	a->root = g_strdup(root);
	/* Beside the root, on the same file system as long as the root is not
	 * a mount point of its own: rename() needs that. */
	a->staging_top = g_build_filename(parent, "tmp", NULL);
	a->staging = role ? g_build_filename(a->staging_top, role, NULL) : g_strdup(a->staging_top);
	if (fsutil_mkdir_p(a->staging, error) < 0) {
		archive_free(&a);
		return NULL;
	}
	return a;
}

void archive_free(archive **ap)
{
	archive *a = *ap;

	if (a == NULL)
		return;
	*ap = NULL;
	g_free(a->root);
	g_free(a->staging_top);
	g_free(a->staging);
	g_free(a);
}

int archive_purge_staging(archive *a, GError **error)
{
	g_autoptr(GDir) dir = NULL;
	const char *name;
	int total = fsutil_purge(a->staging_top, STAGE_PREFIX, error);

	if (total < 0)
		return -1;
	dir = g_dir_open(a->staging_top, 0, NULL);
	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree char *sub = g_build_filename(a->staging_top, name, NULL);
		int n;

		if (!g_file_test(sub, G_FILE_TEST_IS_DIR) || g_file_test(sub, G_FILE_TEST_IS_SYMLINK))
			continue;
		n = fsutil_purge(sub, STAGE_PREFIX, error);
		if (n < 0)
			return -1;
		total += n;
	}
	return total;
}

archive_stage *archive_stage_new(archive *a, gboolean hash, GError **error)
{
	archive_stage *s = g_new0(archive_stage, 1);

	s->a = a;
	s->path = g_build_filename(a->staging, STAGE_PREFIX "XXXXXX", NULL);
	s->fd = mkostemp(s->path, O_CLOEXEC);
	if (s->fd < 0) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "impossible de créer un fichier dans %s : %s",
			    a->staging, mo_strerror(errno));
		g_free(s->path);
		g_free(s);
		return NULL;
	}
	s->sum = hash ? digest_sha256_new() : NULL;
	return s;
}

int archive_stage_write(archive_stage *s, const void *data, size_t len, GError **error)
{
	const char *p = data;
	size_t left = len;

	g_return_val_if_fail(s->fd >= 0, -1);
	while (left > 0) {
		ssize_t n = write(s->fd, p, left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "impossible d'écrire %s : %s", s->path,
				    mo_strerror(errno));
			return -1;
		}
		p += n;
		left -= (size_t)n;
	}
	if (s->sum != NULL)
		digest_update(s->sum, data, len);
	s->size += (int64_t)len;
	return 0;
}

int archive_stage_finish(archive_stage *s, GError **error)
{
	int fd = s->fd;

	s->fd = -1;
	if (s->sum != NULL)
		s->sha256 = digest_finish(g_steal_pointer(&s->sum));
	if (fd >= 0 && close(fd) < 0) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "impossible de fermer %s : %s", s->path,
			    mo_strerror(errno));
		return -1;
	}
	return 0;
}

const char *archive_stage_sha256(const archive_stage *s)
{
	return s->sha256;
}

int64_t archive_stage_size(const archive_stage *s)
{
	return s->size;
}

const char *archive_stage_path(const archive_stage *s)
{
	return s->path;
}

int archive_stage_commit(archive_stage *s, const char *partner, const char *type,
			 const char *number, GDateTime *date, const char *ext,
			 archive_taken_fn *taken, void *ctx, char **rel_r, GError **error)
{
	g_return_val_if_fail(s->fd < 0 && !s->committed, -1);
	for (int clash = 1; clash <= MAX_CLASHES; clash++) {
		g_autofree char *rel = naming_document_path(partner, type, number, date, ext, clash);
		g_autofree char *abs = NULL;
		g_autofree char *dir = NULL;
		int t = taken(rel, ctx, error);

		if (t < 0)
			return -1;
		if (t > 0)
			continue;
		abs = archive_path(s->a, rel);
		if (abs == NULL) {
			g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
				    "nom d'archive refusé (dangereux) : « %s »", rel);
			return -1;
		}
		/* The month's folder exists but for the first file of a month:
		 * created only when the rename says it is missing. */
		if (rename(s->path, abs) < 0) {
			if (errno != ENOENT) {
				g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
					    "impossible de renommer %s en %s : %s", s->path, abs,
					    mo_strerror(errno));
				return -1;
			}
			dir = g_path_get_dirname(abs);
			if (fsutil_mkdir_p(dir, error) < 0)
				return -1;
		} else {
			s->committed = TRUE;
			*rel_r = g_steal_pointer(&rel);
			return 0;
		}
		if (rename(s->path, abs) < 0) {
			g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "impossible de renommer %s en %s : %s",
				    s->path, abs, mo_strerror(errno));
			return -1;
		}
		s->committed = TRUE;
		*rel_r = g_steal_pointer(&rel);
		return 0;
	}
	g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "aucun nom libre dans l'archive pour %s %s", type,
		    number);
	return -1;
}

void archive_stage_free(archive_stage **sp)
{
	archive_stage *s = *sp;

	if (s == NULL)
		return;
	*sp = NULL;
	if (s->fd >= 0)
		close(s->fd);
	if (!s->committed)
		unlink(s->path);
	digest_free(s->sum);
	g_free(s->sha256);
	g_free(s->path);
	g_free(s);
}

int archive_link_renamed(archive *a, const char *rel, const char *partner,
			 archive_taken_fn *taken, void *ctx, char **new_rel_r, GError **error)
{
	g_autofree char *old_abs = archive_path(a, rel);

	if (old_abs == NULL) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "nom d'archive refusé (dangereux) : « %s »", rel);
		return -1;
	}
	for (int clash = 1; clash <= MAX_CLASHES; clash++) {
		g_autofree char *new_rel = naming_with_partner(rel, partner, clash);
		g_autofree char *new_abs = NULL;
		int t;

		if (new_rel == NULL) {
			g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
				    "« %s » n'est pas un nom de document de l'archive", rel);
			return -1;
		}
		if (strcmp(new_rel, rel) == 0) {
			*new_rel_r = g_steal_pointer(&new_rel);
			return 0;
		}
		t = taken(new_rel, ctx, error);
		if (t < 0)
			return -1;
		if (t > 0)
			continue;
		new_abs = archive_path(a, new_rel);
		/* On disk but recorded nowhere: a crash's leftover, replaced. */
		if (link(old_abs, new_abs) < 0 && (errno != EEXIST || unlink(new_abs) < 0 ||
						    link(old_abs, new_abs) < 0)) {
			g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "impossible de lier %s à %s : %s",
				    old_abs, new_abs, mo_strerror(errno));
			return -1;
		}
		*new_rel_r = g_steal_pointer(&new_rel);
		return 0;
	}
	g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "aucun nom libre dans l'archive pour renommer %s", rel);
	return -1;
}

int archive_remove(archive *a, const char *rel, GError **error)
{
	g_autofree char *abs = archive_path(a, rel);

	if (abs == NULL || (unlink(abs) < 0 && errno != ENOENT)) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "impossible d'enlever %s : %s",
			    abs ? abs : rel, abs ? mo_strerror(errno) : "nom dangereux");
		return -1;
	}
	return 0;
}

int archive_sync(archive *a, GError **error)
{
	return fsutil_sync_fs(a->root, error);
}

char *archive_path(archive *a, const char *rel)
{
	if (!naming_path_is_safe(rel))
		return NULL;
	return g_build_filename(a->root, rel, NULL);
}

GMappedFile *archive_map(archive *a, const char *rel, GError **error)
{
	g_autofree char *abs = archive_path(a, rel);
	GError *err = NULL;
	GMappedFile *map;

	if (abs == NULL) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "nom d'archive refusé (dangereux) : « %s »",
			    rel);
		return NULL;
	}
	map = g_mapped_file_new(abs, FALSE, &err);
	if (map == NULL) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "impossible de lire %s : %s", abs,
			    err->message);
		g_error_free(err);
	}
	return map;
}

