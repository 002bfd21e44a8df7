#include "tap.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tests_run;
static int tests_failed;

static void vreport(int cond, const char *file, int line, const char *fmt, va_list ap)
{
	tests_run++;
	if (!cond)
		tests_failed++;
	printf("%sok %d - ", cond ? "" : "not ", tests_run);
	vprintf(fmt, ap);
	putchar('\n');
	if (!cond)
		printf("#   failed at %s:%d\n", file, line);
}

int tap_ok(int cond, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(cond, file, line, fmt, ap);
	va_end(ap);
	return cond;
}

int tap_is_str(const char *got, const char *want, const char *file, int line,
	       const char *fmt, ...)
{
	va_list ap;
	int cond = (got == NULL && want == NULL) ||
		   (got != NULL && want != NULL && strcmp(got, want) == 0);

	va_start(ap, fmt);
	vreport(cond, file, line, fmt, ap);
	va_end(ap);
	if (!cond) {
		printf("#        got: %s%s%s\n", got ? "'" : "", got ? got : "NULL", got ? "'" : "");
		printf("#   expected: %s%s%s\n", want ? "'" : "", want ? want : "NULL", want ? "'" : "");
	}
	return cond;
}

int tap_is_int(intmax_t got, intmax_t want, const char *file, int line,
	       const char *fmt, ...)
{
	va_list ap;
	int cond = got == want;

	va_start(ap, fmt);
	vreport(cond, file, line, fmt, ap);
	va_end(ap);
	if (!cond) {
		printf("#        got: %jd\n", got);
		printf("#   expected: %jd\n", want);
	}
	return cond;
}

void tap_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

int tap_done(void)
{
	printf("1..%d\n", tests_run);
	fflush(stdout);
	return tests_failed ? 1 : 0;
}
