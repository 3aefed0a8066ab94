/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A minimal TAP producer for ppt's userspace unit tests: each check prints
 * "ok N - what" or "not ok N - what" and the plan comes last.  The exit
 * status is 1 when any check failed.
 */
#ifndef PPT_TAP_H
#define PPT_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

__attribute__((format(printf, 4, 5)))
static inline int tap_ok(int pass, const char *file, int line,
			 const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", pass ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!pass) {
		printf("#   failed at %s:%d\n", file, line);
		tap_failed++;
	}
	return pass;
}

#define is_str(got, want, ...)						\
	do {								\
		const char *g_ = (got), *w_ = (want);			\
		if (!ok(g_ && !strcmp(g_, w_), __VA_ARGS__))		\
			printf("#   got:  \"%s\"\n#   want: \"%s\"\n",	\
			       g_ ? g_ : "(null)", w_);			\
	} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif /* PPT_TAP_H */
