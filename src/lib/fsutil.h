/* fsutil.h: file-system primitives that keep data safe across crashes.
 *
 * Errors are MO_ERROR_FAILED with "cannot VERB PATH: strerror".
 */
#ifndef MO_FSUTIL_H
#define MO_FSUTIL_H

#include <glib.h>
#include <stddef.h>

/* Writes data to path atomically: a temp file created O_EXCL in the same
 * folder, written, fsync'ed, closed, renamed over path, and the folder
 * fsync'ed.  Readers see the old file or the new one, never a mix. */
int fsutil_write_atomic(const char *path, const void *data, size_t len, GError **error);

/* Writes data to a new temp file in dir (name "prefix.XXXXXX"), without
 * fsync (the caller syncs a whole batch at once, see fsutil_sync_fs).
 * *path_r is the temp file's path (owned). */
int fsutil_write_temp(const char *dir, const char *prefix, const void *data, size_t len,
		      char **path_r, GError **error);

/* Creates dir and its missing parents (mode 0750). */
int fsutil_mkdir_p(const char *dir, GError **error);

/* Reads a whole file, refusing one over max bytes.  *data_r is owned and
 * NUL-terminated (the NUL is not counted in *len_r). */
int fsutil_read_file(const char *path, size_t max, char **data_r, size_t *len_r,
		     GError **error);

/* fsync of a folder: makes renames and creations in it durable. */
int fsutil_fsync_dir(const char *dir, GError **error);

/* Flushes every dirty page of the file system holding path (syncfs(2)):
 * one flush for a batch of files instead of one fsync per file. */
int fsutil_sync_fs(const char *path, GError **error);

/* Deletes the files of dir whose names start with prefix (leftovers of a
 * crashed run); returns how many were deleted, or -1. */
int fsutil_purge(const char *dir, const char *prefix, GError **error);

/* A lock file: an exclusive flock(2) on path (created, mode 0640, when
 * missing), held until fsutil_lock_release or the process's end, a kill
 * included: a crashed holder leaves no stale lock.  The file holds a note
 * of its holder, for the message of the one refused.
 * 1 with *fd_r when taken (note, when not NULL, written in it: "run 1234");
 * 0 when another holds it (its note in *holder_r when asked and readable,
 * owned, else NULL); -1 on error. */
int fsutil_lock_try(const char *path, const char *note, int *fd_r, char **holder_r,
		    GError **error);
/* Lets the lock go (fd -1: nothing to do); sets *fd to -1. */
void fsutil_lock_release(int *fd);

/* Joins base and a relative path; when rel is absolute, returns a copy. */
char *fsutil_resolve(const char *base, const char *rel);

#endif
