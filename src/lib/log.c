#include "lib/log.h"

#include "lib/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static log_level min_level = LOG_LEVEL_INFO;
static gboolean env_read;

static void read_env(void)
{
	const char *v = g_getenv("MAILORDER_LOG");

	env_read = TRUE;
	if (v == NULL)
		return;
	/* the words the log prints are accepted too */
	if (strcmp(v, "debug") == 0 || strcmp(v, "détail") == 0 || strcmp(v, "detail") == 0)
		min_level = LOG_LEVEL_DEBUG;
	else if (strcmp(v, "info") == 0)
		min_level = LOG_LEVEL_INFO;
	else if (strcmp(v, "warn") == 0 || strcmp(v, "attention") == 0)
		min_level = LOG_LEVEL_WARN;
	else if (strcmp(v, "error") == 0 || strcmp(v, "erreur") == 0)
		min_level = LOG_LEVEL_ERROR;
}

void log_set_level(log_level level)
{
	read_env();
	/* The environment wins only when it asks for more detail. */
	if (g_getenv("MAILORDER_LOG") == NULL || level < min_level)
		min_level = level;
}

gboolean log_enabled(log_level level)
{
	if (!env_read)
		read_env();
	return level >= min_level;
}

void log_msg(log_level level, const char *fmt, ...)
{
	static const char *const names[] = { "détail", "info", "attention", "erreur" };
	va_list ap;
	char *text, *shown;

	if (!log_enabled(level))
		return;
	va_start(ap, fmt);
	text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	/* What came from outside (a subject, a file name) can neither split
	 * the line nor drive the terminal, and a huge one is cut. */
	shown = text_shown(text, TEXT_ONE_LINE, LOG_MAX_BYTES);
	/* One write per line, so lines from several processes do not mix. */
	fprintf(stderr, "mailorder : %s : %s\n", names[level], shown);
	g_free(shown);
	g_free(text);
}
