/* tutil.h: what every suite may use: a failure that stops the test with its own message,
 * packets and scenarios that must parse, the test's own temporary folder, tests skipped
 * with a reason. */
#ifndef TUTIL_H
#define TUTIL_H

#include <stddef.h>
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

/* A fresh folder $TMPDIR/pfh-TAG.XXXXXX (/tmp without TMPDIR) into dir. 0, or -1
 * with errno set. */
int	tut_tmp_make(char *dir, size_t cap, const char *tag);
/* Remove dir and all it holds, never following a symbolic link; a missing dir is not
 * an error. 0 or -1. */
int	tut_tmp_remove(const char *dir);

/* The per-test folder: a suite added with tut_tmp_setup and tut_tmp_teardown as its
 * setup and teardown gets a fresh folder before each test and loses it, with all it
 * holds, after it (also after a fatal failure). */
void	tut_tmp_setup(void);
void	tut_tmp_teardown(void);
/* The running test's folder; the test stops when it has none. */
const char *tut_tmp_dir(void);
/* The running test's folder/name into buf; buf. The test stops when it does not fit. */
char	*tut_tmp_path(char *buf, size_t cap, const char *name);

/* Skip test t of suite s: it is made inactive (CUnit's basic output counts it under
 * "Inactive") and why is kept for tut_skips_print. why is not copied. 0, or -1 when
 * too many tests are skipped. */
int	tut_skip(CU_pSuite s, CU_pTest t, const char *why);
/* One line "SKIPPED suite: test: why" into f per skipped test of suite (all when
 * NULL) and test (all of the suite when NULL); how many. */
int	tut_skips_print(FILE *f, CU_pSuite suite, CU_pTest test);

#endif
