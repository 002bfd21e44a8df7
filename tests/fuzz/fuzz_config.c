/* fuzz_config.c: libFuzzer target for the config reader (src/lib/config.h).
 *
 * The input is written to a temporary file (mkstemp), read with
 * config_load(), and the file removed.  The files live in a folder of the
 * fuzzer's own (mkdtemp in $TMPDIR, else /dev/shm, else /tmp), which also
 * holds imap.pass (mode 600, one line), so that a relative
 * "password_file = imap.pass" or "ca_file = imap.pass" finds a file (see
 * config.dict); the folder is removed at exit.  A password_file may point
 * anywhere else, which only reads a file (fsutil_read_file refuses what is
 * not a regular file).  A config that loads must have its path, its folder
 * and absolute storage paths; one that does not must say why.
 */
#include "lib/config.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *folder, *secret_path, *template_path;

static void remove_folder(void)
{
	unlink(secret_path);
	rmdir(folder);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	static const char secret[] = "fuzz-secret\n";
	int fd;

	(void)argc;
	(void)argv;
	if (tmp == NULL || tmp[0] == '\0' || access(tmp, W_OK) != 0)
		tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	folder = g_build_filename(tmp, "fuzz-config-XXXXXX", NULL);
	if (mkdtemp(folder) == NULL) {
		perror("fuzz_config: mkdtemp");
		abort();
	}
	secret_path = g_build_filename(folder, "imap.pass", NULL);
	template_path = g_build_filename(folder, "conf-XXXXXX", NULL);
	fd = open(secret_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, secret, sizeof(secret) - 1) != (ssize_t)(sizeof(secret) - 1)) {
		perror("fuzz_config: imap.pass");
		abort();
	}
	close(fd);
	atexit(remove_folder);
	return 0;
}

static void touch(const char *s)
{
	if (s != NULL)
		(void)strlen(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *path = g_strdup(template_path);
	int fd = mkstemp(path);
	size_t off = 0;
	GError *err = NULL;
	config *cfg;

	if (fd < 0) {
		perror("fuzz_config: mkstemp");
		abort();
	}
	while (off < size) {
		ssize_t n = write(fd, data + off, size - off);

		if (n <= 0) {
			perror("fuzz_config: write");
			abort();
		}
		off += (size_t)n;
	}
	close(fd);

	cfg = config_load(path, &err);
	if (cfg != NULL) {
		if (err != NULL || cfg->path == NULL || cfg->dir == NULL ||
		    !g_path_is_absolute(cfg->storage.database) ||
		    !g_path_is_absolute(cfg->storage.archive) || cfg->storage.archive_shown == NULL)
			abort();
		touch(cfg->company.name);
		touch(cfg->company.siret);
		touch(cfg->company.iban);
		touch(cfg->imap.host);
		touch(cfg->imap.password);
		touch(cfg->imap.mailbox);
		touch(cfg->imap.ca_file);
		touch(cfg->smtp.host);
		touch(cfg->smtp_from);
		if (cfg->imap.host != NULL)
			(void)config_host_is_loopback(cfg->imap.host);
		if (config_require_imap(cfg, &err) < 0)
			g_clear_error(&err);
		config_free(cfg);
	} else if (err == NULL || err->message == NULL) {
		abort();  /* config.h: NULL comes with the problems */
	}
	g_clear_error(&err);
	unlink(path);
	g_free(path);
	return 0;
}
