/* pfm_parse_item.c: small items several rule grammars share: a string of words, a
 * routing table number, a tag name, log and quick, pfctl's "given once" marker. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfm_grammar.h"
#include "pfm_parse_rule.h"

int
pfm_mark_once(struct pfm_pctx *c, int *marker, int bit, const char *msg)
{
	if (*marker & bit) {
		pfm_yyerror(c, "%s", msg);
		return (-1);
	}
	*marker |= bit;
	return (0);
}

/* string: one or more STRING tokens joined by a space. */
int
pfm_parse_string(struct pfm_pctx *c, char **out)
{
	struct pfm_buf b = { 0 };
	int n = 0;

	while (pfm_peek(c) == T_STRING) {
		pfm_buf_printf(&b, "%s%s", n++ ? " " : "", c->tok.str);
		pfm_next(c);
	}
	if (n == 0)
		return (pfm_syntax(c));
	*out = pfm_nstrdup(c, b.s);
	pfm_buf_free(&b);
	return (0);
}

int
pfm_parse_rtable(struct pfm_pctx *c, int *id)
{
	int64_t v;

	if (pfm_peek(c) != T_NUMBER)
		return (pfm_syntax(c));
	v = c->tok.num;
	pfm_next(c);
	if (v < 0 || v > PFM_RTABLE_MAX) {
		pfm_yyerror(c, "invalid rtable id");
		return (-1);
	}
	*id = (int)v;
	return (0);
}

/* A tag name s into a rule's tag or tagged (64 bytes, pf's PF_TAG_NAME_SIZE); 0, or
 * -1 with pfctl's message for a name too long. */
int
pfm_set_tag(struct pfm_pctx *c, char *dst, const char *s)
{
	if (strlen(s) >= 64) {
		pfm_yyerror(c, "tag too long, max %u chars", 63);
		return (-1);
	}
	snprintf(dst, 64, "%s", s);
	return (0);
}

int
pfm_parse_log(struct pfm_pctx *c, int *log, int *logif)
{
	*log = 1;
	*logif = 0;
	pfm_next(c);	/* log */
	if (!pfm_accept(c, '('))
		return (0);
	for (;;) {
		switch (pfm_peek(c)) {
		case K_ALL:
			pfm_next(c);
			*log |= PFM_LOG_ALL;
			break;
		case K_USER:
		case K_GROUP:
			pfm_next(c);
			*log |= PFM_LOG_USER;
			break;
		case K_MATCHES:
			/* FreeBSD 15 (parse.y bc0f7b9: logopt MATCHES, PF_LOG_MATCHES); for
			 * 14 "matches" is no keyword, a syntax error here */
			pfm_next(c);
			*log |= PFM_LOG_MATCHES;
			break;
		case K_TO: {
			char *s;
			long v;
			char *end;

			pfm_next(c);
			if (pfm_parse_string(c, &s) == -1)
				return (-1);
			if (strncmp(s, "pflog", 5) != 0) {
				pfm_yyerror(c, "%s: should be a pflog interface", s);
				return (-1);
			}
			v = strtol(s + 5, &end, 10);
			if (*end != '\0' || s[5] == '\0') {
				pfm_yyerror(c, "%s: %s", s, "invalid");
				return (-1);
			}
			if (v < 0 || v > 255) {
				pfm_yyerror(c, "%s: %s", s, v < 0 ? "too small" : "too large");
				return (-1);
			}
			if (v != 0)
				*logif = (int)v;
			break;
		}
		default:
			return (pfm_syntax(c));
		}
		if (pfm_accept(c, ')'))
			return (0);
		pfm_comma(c);
	}
}

int
pfm_parse_logquick(struct pfm_pctx *c, int *log, int *logif, int *quick)
{
	*log = *logif = *quick = 0;
	if (pfm_accept(c, K_QUICK)) {
		*quick = 1;
		if (pfm_peek(c) == K_LOG)
			return (pfm_parse_log(c, log, logif));
		return (0);
	}
	if (pfm_peek(c) == K_LOG) {
		if (pfm_parse_log(c, log, logif) == -1)
			return (-1);
		*quick = pfm_accept(c, K_QUICK);
	}
	return (0);
}
