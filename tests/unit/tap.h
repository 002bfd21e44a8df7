/* tap.h: a tiny TAP producer for the unit tests (run by prove).
 *
 *   ok(cond, "name %d", i);        one test point
 *   is_str(got, want, "name");     string equality, diagnostics on failure
 *   is_int(got, want, "name");     integer equality, diagnostics on failure
 *   return tap_done();             prints the plan, exit status 0 or 1
 */
#ifndef TAP_H
#define TAP_H

#include <stdint.h>

int tap_ok(int cond, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int tap_is_str(const char *got, const char *want, const char *file, int line,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int tap_is_int(intmax_t got, intmax_t want, const char *file, int line,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int tap_done(void);

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_str(got, want, ...) tap_is_str((got), (want), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, want, ...) tap_is_int((intmax_t)(got), (intmax_t)(want), __FILE__, __LINE__, __VA_ARGS__)

#endif
