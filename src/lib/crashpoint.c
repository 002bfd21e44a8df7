#include "lib/crashpoint.h"

#include <glib.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

/* Read once, by whichever thread comes first. */
static struct {
	gboolean armed;
	char wanted[64];
	long target;
	const char *poison;
	const char *hang;
	gboolean hang_ocr;
} config;
static gint hits;

static void read_env(void)
{
	static gsize done;

	if (g_once_init_enter(&done)) {
		const char *env = getenv("MAILORDER_CRASHPOINT");

		config.target = 1;
		if (env != NULL && env[0] != '\0') {
			const char *colon = strchr(env, ':');
			size_t n = colon ? (size_t)(colon - env) : strlen(env);

			if (n < sizeof(config.wanted)) {
				memcpy(config.wanted, env, n);
				config.wanted[n] = '\0';
				config.target = colon ? strtol(colon + 1, NULL, 10) : 1;
				config.armed = TRUE;
			}
		}
		env = getenv("MAILORDER_CRASH_READING");
		config.poison = env != NULL && env[0] != '\0' ? env : NULL;
		env = getenv("MAILORDER_HANG_READING");
		config.hang = env != NULL && env[0] != '\0' ? env : NULL;
		env = getenv("MAILORDER_HANG_OCR");
		config.hang_ocr = env != NULL && strcmp(env, "1") == 0;
		g_once_init_leave(&done, 1);
	}
}

void crashpoint(const char *name)
{
	read_env();
	if (!config.armed || strcmp(name, config.wanted) != 0)
		return;
	if (g_atomic_int_add(&hits, 1) + 1 >= config.target)
		raise(SIGKILL);
}

/* wanted ("ID" or "ocr:ID") names this message in this stage */
static gboolean names(const char *wanted, const char *message_id, int ocr_stage)
{
	if (wanted == NULL || message_id == NULL)
		return FALSE;
	if (strncmp(wanted, "ocr:", 4) == 0)
		return ocr_stage && strcmp(wanted + 4, message_id) == 0;
	return strcmp(wanted, message_id) == 0;
}

void crashpoint_reading(const char *message_id, int ocr_stage)
{
	read_env();
	if (names(config.poison, message_id, ocr_stage))
		raise(SIGKILL);
}

void crashpoint_hang(const char *message_id, int ocr_stage)
{
	read_env();
	if (names(config.hang, message_id, ocr_stage)) {
		for (;;)
			g_usleep(G_USEC_PER_SEC);
	}
}

void crashpoint_hang_ocr(void)
{
	read_env();
	while (config.hang_ocr)
		g_usleep(G_USEC_PER_SEC);
}
