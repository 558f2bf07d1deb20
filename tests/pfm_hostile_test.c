/* pfm_hostile_test.c: the pf model on hostile input, each a defect found by fuzzing:
 * IPv6 extension headers that claim more than the packet holds, a macro redefined
 * while it expands, include loops, device and directory files, NUL bytes, CR LF. */
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "pfm_tutil.h"
#include "tests.h"
#include "tutil.h"

/* An IPv6 packet (2001:db8::7 > 2001:db8::1) of len bytes whose first extension header
 * is nxt with length byte hlen, then UDP; the rest zero. */
static uint8_t *
v6_ext(size_t len, uint8_t nxt, uint8_t hlen)
{
	uint8_t *p = calloc(1, len);	/* its exact size: ASan sees a read past it */

	CU_ASSERT_FATAL(p != NULL && len >= 48);
	p[0] = 0x60;
	p[4] = (uint8_t)((len - 40) >> 8);
	p[5] = (uint8_t)(len - 40);
	p[6] = nxt;
	p[7] = 64;
	p[8] = 0x20, p[9] = 0x01, p[10] = 0x0d, p[11] = 0xb8, p[23] = 7;
	p[24] = 0x20, p[25] = 0x01, p[26] = 0x0d, p[27] = 0xb8, p[39] = 1;
	p[40] = 17;	/* UDP after the header */
	p[41] = hlen;
	return (p);
}

/* pf_walk_header6 cannot pull a header that runs past the packet: dropped as short,
 * nothing read past the end, no block return reply built from it. */
static void
test_v6_ext_past_end(void)
{
	static const uint8_t kinds[] = { 0, 43, 60, 51 };	/* hop, routing, dst, AH */
	struct pfm *pf = tu_must_load("block return all\n");
	struct pfm_verdict v;
	size_t i;
	uint8_t *p;

	for (i = 0; i < sizeof(kinds); i++) {
		p = v6_ext(60, kinds[i], 255);	/* claims 2048 (AH: 1028) bytes */
		CU_ASSERT_EQUAL(pfm_test(pf, PFM_IN, "em0", p, 60, 1000 + i, &v), -1);
		CU_ASSERT_EQUAL(v.action, PFM_DROP);
		CU_ASSERT_STRING_EQUAL(v.reason, "short");
		CU_ASSERT_EQUAL(v.reply_len, 0);
		free(p);
	}
	/* a header that fits exactly is walked: the UDP header after it is short */
	p = v6_ext(48, 60, 0);
	CU_ASSERT_EQUAL(pfm_test(pf, PFM_IN, "em0", p, 48, 2000, &v), -1);
	CU_ASSERT_STRING_EQUAL(v.reason, "short");
	free(p);
	pfm_free(pf);
}

/* pf.conf text through tu_parse: 1 when the load failed with msg among the messages. */
static int
refused_with(const char *conf, const char *msg)
{
	char *out;
	int ok, hit;

	out = tu_parse(conf, NULL, NULL, &ok);
	hit = !ok && out != NULL && strstr(out, msg) != NULL;
	if (!hit)
		fprintf(stderr, "expected \"%s\" in:\n%s", msg, out ? out : "(null)");
	free(out);
	return (hit);
}

/* The statement that redefines a macro it is expanding: the expansion reads a copy,
 * so the redefinition frees nothing being read (a syntax error, as pfctl says). */
static void
test_macro_redefined_in_expansion(void)
{
	CU_ASSERT(refused_with("ports = \"{ 22 80 }\"\nports = \"443\" $ports\n"
	    "pass in proto tcp to port $ports\n", "stdin:2: syntax error"));
}

/* An include of the file itself, or a loop through two files: stopped at once. */
static void
test_include_loop(void)
{
	char a[512], b[512], conf[1200];
	FILE *f;

	tut_tmp_path(a, sizeof(a), "a.conf");
	tut_tmp_path(b, sizeof(b), "b.conf");
	CU_ASSERT_FATAL((f = fopen(a, "w")) != NULL);
	fprintf(f, "include \"%s\"\n", b);
	fclose(f);
	CU_ASSERT_FATAL((f = fopen(b, "w")) != NULL);
	fprintf(f, "include \"%s\"\n", a);
	fclose(f);
	snprintf(conf, sizeof(conf), "include \"%s\"\n", a);
	CU_ASSERT(refused_with(conf, "include loop"));
	snprintf(conf, sizeof(conf), "include \"%s\"\n", b);
	CU_ASSERT(refused_with(conf, "failed to include file"));
}

/* Files that are not regular: a device never ends, a directory is no file. */
static void
test_not_regular_files(void)
{
	CU_ASSERT(refused_with("include \"/dev/zero\"\n", "/dev/zero: not a regular file"));
	CU_ASSERT(refused_with("table <t> file \"/dev/zero\"\n",
	    "cannot load \"/dev/zero\": not a regular file"));
	CU_ASSERT(refused_with("table <t> file \"/\"\n", "cannot load \"/\": is a directory"));
	CU_ASSERT(refused_with("include \"/\"\n", "/: is a directory"));
}

/* A NUL byte is an error at its line, not the end of the file. */
static void
test_nul_byte(void)
{
	struct pfm_load_opts lo;
	struct pfm_host h;
	struct diag d = { 0 };
	static const char text[] = "pass all\nblock \0 in all\nblock out all\n";
	struct pfm *pf;

	memset(&lo, 0, sizeof(lo));
	lo.len = sizeof(text) - 1;
	tu_host(&h);
	CU_ASSERT_FATAL((pf = pfm_new(&h)) != NULL);
	CU_ASSERT_EQUAL(pfm_load(pf, text, &lo, &d), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_text(&d), "stdin:2: NUL byte in the file"));
	diag_free(&d);
	pfm_free(pf);
}

/* CR LF line ends fail as pfctl fails them, with one note that says why. */
static void
test_crlf_note(void)
{
	char *out;
	int ok;

	out = tu_parse("pass all\r\nblock all\r\n", NULL, NULL, &ok);
	CU_ASSERT_FALSE(ok);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "stdin:1: the file has DOS line ends (CR LF)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "stdin:2: syntax error"));
	free(out);
}

int
pfm_hostile_test_register(void)
{
	CU_pSuite s = CU_add_suite("pfm_hostile", NULL, NULL);
	CU_pSuite t = CU_add_suite_with_setup_and_teardown("pfm_hostile_files", NULL,
	    NULL, tut_tmp_setup, tut_tmp_teardown);

	if (s == NULL || t == NULL ||
	    CU_add_test(s, "IPv6 extension header past the end", test_v6_ext_past_end) ==
	    NULL ||
	    CU_add_test(s, "a macro redefined while it expands",
	    test_macro_redefined_in_expansion) == NULL ||
	    CU_add_test(t, "include loop", test_include_loop) == NULL ||
	    CU_add_test(s, "devices and directories as files", test_not_regular_files) ==
	    NULL ||
	    CU_add_test(s, "NUL byte", test_nul_byte) == NULL ||
	    CU_add_test(s, "CR LF", test_crlf_note) == NULL)
		return (-1);
	return (0);
}
