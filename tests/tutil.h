/* tutil.h: what every suite may use: a failure that stops the test with its own message,
 * packets and scenarios that must parse, tests skipped with a reason. */
#ifndef TUTIL_H
#define TUTIL_H

#include <stdio.h>

#include <CUnit/CUnit.h>

#include "pkt/pkt.h"
#include "scn/scn.h"

/* Fail the running test at file:line with a printf-made message, and stop it (CUnit
 * jumps out of the test function; inside a suite's setup it only records the failure,
 * so helpers return afterwards). */
#define TUT_FATAL(...)	tut_fatal(__FILE__, __LINE__, __VA_ARGS__)
void	tut_fatal(const char *file, int line, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* A packet line (pkt_parse) or an expectation (pkt_pat_parse) that must parse: the
 * test stops with the line and the parser's message when it does not. */
#define tut_pkt(text, p)	tut_pkt_at(__FILE__, __LINE__, (text), (p))
#define tut_pat(text, pat)	tut_pat_at(__FILE__, __LINE__, (text), (pat))
void	tut_pkt_at(const char *file, int line, const char *text, struct pkt *);
void	tut_pat_at(const char *file, int line, const char *text, struct pkt_pat *);

/* A scenario from text (path names it in messages) or from a file, that must parse:
 * the test stops with the parser's messages when it does not. Free with scn_free. */
#define tut_scn_text(path, text) tut_scn_text_at(__FILE__, __LINE__, (path), (text))
#define tut_scn_file(path)	tut_scn_file_at(__FILE__, __LINE__, (path))
struct scn *tut_scn_text_at(const char *file, int line, const char *path,
	    const char *text);
struct scn *tut_scn_file_at(const char *file, int line, const char *path);

/* Skip test t of suite s: it is made inactive (CUnit's basic output counts it under
 * "Inactive") and why is kept for tut_skips_print. why is not copied. 0, or -1 when
 * too many tests are skipped. */
int	tut_skip(CU_pSuite s, CU_pTest t, const char *why);
/* One line "SKIPPED suite: test: why" into f per skipped test of suite (all when
 * NULL) and test (all of the suite when NULL); how many. */
int	tut_skips_print(FILE *f, CU_pSuite suite, CU_pTest test);

#endif
