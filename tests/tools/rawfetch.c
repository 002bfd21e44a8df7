/* rawfetch: the reference for make bench.  The least an IMAP client can do
 * to fetch every message of a mailbox: log in over plain IMAP (loopback),
 * SELECT, list the UIDs, then UID FETCH BODY.PEEK[] in batches of the same
 * size as mailorder's, streaming the bytes and throwing them away.
 *
 *   rawfetch HOST PORT USER PASSWORD_FILE [BATCH [SAVE_DIR]]
 *
 * With SAVE_DIR, each message is also written to its own file there (no
 * fsync): the floor of any client that keeps what it fetches.
 * Prints "rawfetch: N messages, B bytes" on stdout. */
#include <libetpan/libetpan.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long long total_bytes;
static unsigned long messages;
static const char *save_dir;
static FILE *save_file;

static void save_begin(void)
{
	char path[4096];

	if (save_dir == NULL || save_file != NULL)
		return;
	snprintf(path, sizeof path, "%s/%lu.eml", save_dir, messages + 1);
	save_file = fopen(path, "wb");
	if (save_file == NULL) {
		perror(path);
		exit(1);
	}
}

static bool on_body(int att_type, struct mailimap_msg_att_body_section *section,
		    const char *bytes, size_t len, void *ctx)
{
	(void)att_type;
	(void)section;
	(void)ctx;
	total_bytes += len;
	save_begin();
	if (save_file != NULL && fwrite(bytes, 1, len, save_file) != len) {
		perror("rawfetch: write");
		exit(1);
	}
	return true;
}

static void on_msg_att(struct mailimap_msg_att *att, void *ctx)
{
	(void)att;
	(void)ctx;
	if (save_file != NULL) {
		fclose(save_file);
		save_file = NULL;
	}
	messages++;
}

/* libetpan calls the msg_att handler only with a progress callback set. */
static void on_progress(size_t current, size_t maximum, void *ctx)
{
	(void)current;
	(void)maximum;
	(void)ctx;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	char password[512];
	FILE *f;
	mailimap *imap;
	struct mailimap_set *set;
	struct mailimap_fetch_type *type;
	clist *result = NULL;
	uint32_t *uids;
	size_t n = 0, batch;
	int r;

	if (argc < 5) {
		fprintf(stderr, "usage: rawfetch HOST PORT USER PASSWORD_FILE [BATCH [SAVE_DIR]]\n");
		return 2;
	}
	batch = argc > 5 ? strtoul(argv[5], NULL, 10) : 64;
	save_dir = argc > 6 ? argv[6] : NULL;
	f = fopen(argv[4], "r");
	if (f == NULL || fgets(password, sizeof password, f) == NULL) {
		perror(argv[4]);
		return 1;
	}
	fclose(f);
	password[strcspn(password, "\r\n")] = '\0';

	imap = mailimap_new(0, NULL);
	r = mailimap_socket_connect(imap, argv[1], (uint16_t)atoi(argv[2]));
	if (r != MAILIMAP_NO_ERROR_NON_AUTHENTICATED && r != MAILIMAP_NO_ERROR)
		goto fail;
	r = mailimap_login(imap, argv[3], password);
	if (r != MAILIMAP_NO_ERROR)
		goto fail;
	r = mailimap_select(imap, "INBOX");
	if (r != MAILIMAP_NO_ERROR)
		goto fail;

	/* The UID list, as any client that fetches by UID must get it. */
	set = mailimap_set_new_interval(1, 0);
	type = mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(type, mailimap_fetch_att_new_uid());
	r = mailimap_uid_fetch(imap, set, type, &result);
	mailimap_fetch_type_free(type);
	mailimap_set_free(set);
	if (r != MAILIMAP_NO_ERROR)
		goto fail;
	uids = calloc(clist_count(result) + 1, sizeof *uids);
	for (clistiter *it = clist_begin(result); it; it = clist_next(it)) {
		struct mailimap_msg_att *att = clist_content(it);

		for (clistiter *j = clist_begin(att->att_list); j; j = clist_next(j)) {
			struct mailimap_msg_att_item *item = clist_content(j);

			if (item->att_type == MAILIMAP_MSG_ATT_ITEM_STATIC &&
			    item->att_data.att_static->att_type == MAILIMAP_MSG_ATT_UID)
				uids[n++] = item->att_data.att_static->att_data.att_uid;
		}
	}
	mailimap_fetch_list_free(result);
	qsort(uids, n, sizeof *uids, cmp_u32);

	mailimap_set_msg_body_handler(imap, on_body, NULL);
	mailimap_set_msg_att_handler(imap, on_msg_att, NULL);
	mailimap_set_progress_callback(imap, on_progress, NULL, NULL);
	for (size_t i = 0; i < n; i += batch) {
		size_t end = i + batch < n ? i + batch : n;

		set = mailimap_set_new_empty();
		for (size_t k = i; k < end; k++)
			mailimap_set_add_single(set, uids[k]);
		type = mailimap_fetch_type_new_fetch_att_list_empty();
		mailimap_fetch_type_new_fetch_att_list_add(type, mailimap_fetch_att_new_uid());
		mailimap_fetch_type_new_fetch_att_list_add(
			type, mailimap_fetch_att_new_body_peek_section(mailimap_section_new(NULL)));
		result = NULL;
		r = mailimap_uid_fetch(imap, set, type, &result);
		mailimap_fetch_type_free(type);
		mailimap_set_free(set);
		if (r != MAILIMAP_NO_ERROR)
			goto fail;
		if (result != NULL)
			mailimap_fetch_list_free(result);
	}
	free(uids);
	mailimap_logout(imap);
	mailimap_free(imap);
	printf("rawfetch: %lu messages, %llu bytes\n", messages, total_bytes);
	return 0;
fail:
	fprintf(stderr, "rawfetch: IMAP error %d\n", r);
	mailimap_free(imap);
	return 1;
}
