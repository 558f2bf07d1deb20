/* report_junit.c: the run as JUnit XML, valid against the strict Apache Ant schema
 * (tests/JUnit.xsd): one testsuite per scenario and target, one testcase per probe. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/version.h"
#include "report_impl.h"

/* Length of the valid UTF-8 sequence at s, 0 when it is not one. */
static int
utf8_len(const unsigned char *s)
{
	int n, i;

	n = s[0] < 0x80 ? 1 : (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3 :
	    (s[0] & 0xf8) == 0xf0 ? 4 : 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return (0);
	return (n);
}

/* At most n bytes of s (n < 0: all), escaped for an attribute or text node. */
static void
xml_esc_n(FILE *f, const char *s, long n)
{
	const char *end = s != NULL && n >= 0 ? s + n : NULL;
	int k;

	for (; s != NULL && *s != '\0' && (end == NULL || s < end); s++) {
		if ((unsigned char)*s >= 0x80) {
			if ((k = utf8_len((const unsigned char *)s)) == 0)
				fputc('?', f);	/* not UTF-8: XML would be invalid */
			else {
				fwrite(s, 1, (size_t)k, f);
				s += k - 1;
			}
			continue;
		}
		switch (*s) {
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '&':
			fputs("&amp;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
				fputc('?', f);	/* not allowed in XML 1.0 */
			else
				fputc(*s, f);
		}
	}
}

static void
xml_esc(FILE *f, const char *s)
{
	xml_esc_n(f, s, -1);
}

/* The expectation a failure's first line names ("expect reply", "expect not
 * delivered"), as the failure's type; "probe" when it names none. */
static void
failure_type(const char *detail, char *buf, size_t len)
{
	static const char *const words[] = { "no", "not", "reply", "wire", "delivered",
	    "connect", "state", "load", "error", NULL };
	const char *p, *w;
	size_t n, i, k;

	snprintf(buf, len, "probe");
	if (detail == NULL || (p = strstr(detail, ": expect ")) == NULL ||
	    ((w = strchr(detail, '\n')) != NULL && p > w))
		return;
	p += 2;
	n = strlen("expect");
	for (w = p + n; *w == ' '; w += k) {
		for (k = 1; w[k] >= 'a' && w[k] <= 'z'; k++)
			;
		for (i = 0; words[i] != NULL; i++)
			if (strlen(words[i]) == k - 1 && strncmp(w + 1, words[i], k - 1) == 0)
				break;
		if (words[i] == NULL)
			break;
		n = (size_t)(w + k - p);
	}
	snprintf(buf, len, "%.*s", (int)n, p);
}

/* <failure> or <error>: type, the first line as the message, the whole text (the
 * mismatches, then the dumps) as the content. */
static void
junit_problem(FILE *f, const char *elem, const char *type, const char *text,
    const char *attach)
{
	const char *nl = text != NULL ? strchr(text, '\n') : NULL;

	fprintf(f, "<%s type=\"", elem);
	xml_esc(f, type);
	fprintf(f, "\" message=\"");
	xml_esc_n(f, text, nl != NULL ? nl - text : -1);
	fprintf(f, "\">");
	xml_esc(f, text);
	if (text != NULL && text[0] != '\0' && text[strlen(text) - 1] != '\n' &&
	    attach != NULL)
		fputc('\n', f);
	xml_esc(f, attach);
	fprintf(f, "</%s>", elem);
}

static void
junit_property(FILE *f, const char *name, const char *value)
{
	fprintf(f, "      <property name=\"%s\" value=\"", name);
	xml_esc(f, value != NULL ? value : "");
	fprintf(f, "\"/>\n");
}

static void
junit_scn(FILE *f, const struct rep_scn *s, int id, const char *host)
{
	char stamp[32], type[64];
	int i, nf = 0, ne = s->error != NULL;
	struct tm tm;

	for (i = 0; i < s->nprobe; i++) {
		nf += s->probe[i].st == REP_FAIL;
		ne += s->probe[i].st == REP_ERROR;
	}
	gmtime_r(&s->started, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(f, "  <testsuite package=\"pfharness\" id=\"%d\" name=\"", id);
	xml_esc(f, s->name);
	fprintf(f, ".%s\" timestamp=\"%s\" hostname=\"", s->target, stamp);
	xml_esc(f, host);
	fprintf(f, "\" tests=\"%d\" failures=\"%d\" errors=\"%d\" time=\"%.3f\">\n",
	    s->nprobe + (s->error != NULL), nf, ne, s->ms / 1000);
	fprintf(f, "    <properties>\n");
	junit_property(f, "target", s->target);
	junit_property(f, "scenario", s->path);
	junit_property(f, "title", s->title);
	junit_property(f, "pfharness.version", PFH_VERSION);
	fprintf(f, "    </properties>\n");
	for (i = 0; i < s->nprobe; i++) {
		const struct rep_probe *p = &s->probe[i];

		fprintf(f, "    <testcase classname=\"");
		xml_esc(f, s->name);
		fprintf(f, ".%s\" name=\"", s->target);
		xml_esc(f, p->title);
		fprintf(f, "\" time=\"%.3f\">", p->ms / 1000);
		if (p->st == REP_FAIL) {
			failure_type(p->detail, type, sizeof(type));
			junit_problem(f, "failure", type, p->detail, p->attach);
		} else if (p->st == REP_ERROR)
			junit_problem(f, "error", "probe could not run", p->detail, p->attach);
		else if (p->st == REP_SKIP)
			fprintf(f, "<skipped/>");
		fprintf(f, "</testcase>\n");
	}
	if (s->error != NULL) {
		fprintf(f, "    <testcase classname=\"");
		xml_esc(f, s->name);
		fprintf(f, ".%s\" name=\"setup\" time=\"0\">", s->target);
		junit_problem(f, "error", "scenario could not run", s->error, s->attach);
		fprintf(f, "</testcase>\n");
	}
	fprintf(f, "    <system-out>");
	xml_esc(f, s->log);
	fprintf(f, "</system-out>\n    <system-err></system-err>\n  </testsuite>\n");
}

int
report_junit_write(const struct report *r)
{
	char host[256];
	FILE *f;
	int i, rc;

	if (gethostname(host, sizeof(host)) == -1 || host[0] == '\0')
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	if (strcmp(r->o.junit, "-") == 0)
		f = stdout;
	else if ((f = fopen(r->o.junit, "w")) == NULL) {
		fprintf(stderr, "pfharness: %s: cannot write the JUnit file\n", r->o.junit);
		return (-1);
	}
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
	for (i = 0; i < r->nscn; i++)
		junit_scn(f, &r->scn[i], i, host);
	fprintf(f, "</testsuites>\n");
	rc = f == stdout ? fflush(f) : fclose(f);
	if (rc != 0)
		fprintf(stderr, "pfharness: %s: cannot write the JUnit file\n", r->o.junit);
	return (rc == 0 ? 0 : -1);
}
