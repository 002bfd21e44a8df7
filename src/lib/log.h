/* log.h: messages for the operator, on stderr (journald adds the time and
 * the PID under systemd; a terminal user sees one line per event).
 *
 * Lines are "mailorder: LEVEL: message".  Messages are lower-case, the
 * failure first, then the object (git style).  Secrets are never logged.
 * A message is one line whatever it holds: control and bidi characters
 * are written as escapes (text_shown), and it is cut after LOG_MAX_BYTES.
 */
#ifndef MO_LOG_H
#define MO_LOG_H

#include <glib.h>

#define LOG_MAX_BYTES 2000

typedef enum {
	LOG_LEVEL_DEBUG,
	LOG_LEVEL_INFO,
	LOG_LEVEL_WARN,
	LOG_LEVEL_ERROR,
} log_level;

/* Messages below this level are dropped (default LOG_LEVEL_INFO; the
 * environment variable MAILORDER_LOG=debug|info|warn|error overrides). */
void log_set_level(log_level level);
gboolean log_enabled(log_level level);

void log_msg(log_level level, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

#define log_debug(...) log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_LEVEL_ERROR, __VA_ARGS__)

#endif
