/* archive.h: the archive of raw messages and filed documents.
 *
 *   <root>/YYYY/MM/<partner>_<TYPE>_<number>_<dd-mm-yyyy>[-N].<ext>
 *   <root>/../tmp/     staging: write here, then rename into place
 *
 * A file enters the archive by rename only, so the archive never holds a
 * half-written file.  Durability is per batch: stage and commit many files,
 * then archive_sync() once before the database commit that records them
 * (a group commit; one fsync per file would cost a disk flush each).
 * Names come from naming.h; a name already recorded (the caller's
 * archive_taken_fn, backed by the database) gets a "-2", "-3" suffix, never
 * an overwrite.  A file present on disk but recorded nowhere is the
 * leftover of a crash before its database commit: it is replaced.
 */
#ifndef MO_ARCHIVE_H
#define MO_ARCHIVE_H

#include <glib.h>
#include <stdint.h>

typedef struct archive archive;
typedef struct archive_stage archive_stage;

/* 1 when rel is already recorded, 0 when free, -1 on error (set). */
typedef int archive_taken_fn(const char *rel, void *ctx, GError **error);

/* Creates the root and staging folders when missing.  Each thread that
 * stages files opens its own handle with its own role ("fetch",
 * "intake"): a staging folder of its own, so that two threads creating
 * files do not wait on one folder's lock.  NULL: the top staging folder. */
archive *archive_open(const char *root, const char *role, GError **error);
void archive_free(archive **a);

/* Deletes staged files left by a crashed run (prefix "stage-"), of every
 * role; only the process that holds the poll lock may call it, before its
 * threads stage anything.  Returns how many. */
int archive_purge_staging(archive *a, GError **error);

/* A file being staged: bytes are appended, their SHA-256 computed on the
 * way if hash (a caller that already knows it saves the work).  Freed
 * without commit, the staged file is deleted. */
archive_stage *archive_stage_new(archive *a, gboolean hash, GError **error);
int archive_stage_write(archive_stage *s, const void *data, size_t len, GError **error);
/* Closes the file (no fsync: see archive_sync). */
int archive_stage_finish(archive_stage *s, GError **error);
const char *archive_stage_sha256(const archive_stage *s);   /* after finish; NULL unhashed */
int64_t archive_stage_size(const archive_stage *s);
const char *archive_stage_path(const archive_stage *s);
/* Renames the staged file into the archive under the first free name;
 * *rel_r (owned) is its path relative to the root. */
int archive_stage_commit(archive_stage *s, const char *partner, const char *type,
			 const char *number, GDateTime *date, const char *ext,
			 archive_taken_fn *taken, void *ctx, char **rel_r, GError **error);
void archive_stage_free(archive_stage **s);

/* A filed document given its partner's name (naming_with_partner), the
 * first free one: a hard link, so that until the caller's database commit
 * the old name still holds; archive_remove() the old one after it.  A crash
 * in between leaves one file under two names, never none.  *new_rel_r
 * owned. */
int archive_link_renamed(archive *a, const char *rel, const char *partner,
			 archive_taken_fn *taken, void *ctx, char **new_rel_r, GError **error);
int archive_remove(archive *a, const char *rel, GError **error);
/* Makes every file staged or committed so far durable (syncfs). */
int archive_sync(archive *a, GError **error);

/* The absolute path of rel, or NULL when rel is not a safe archive path. */
char *archive_path(archive *a, const char *rel);
/* Maps a file of the archive for reading. */
GMappedFile *archive_map(archive *a, const char *rel, GError **error);

#endif
