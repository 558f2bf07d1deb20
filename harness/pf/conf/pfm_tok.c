/* pfm_tok.c: the token helpers every production uses: one token of lookahead over the
 * lexer, yacc's error count after a syntax error, lists, and the end of a rule. */
#include <stdlib.h>

#include "pfm_grammar.h"

int
pfm_peek(struct pfm_pctx *c)
{
	if (!c->havetok) {
		pfm_lex(c, &c->tok);
		c->havetok = 1;
	}
	return (c->tok.type);
}

/* Drop the lookahead token without yacc's error-count bookkeeping. */
void
pfm_discard(struct pfm_pctx *c)
{
	pfm_peek(c);
	free(c->tok.str);
	c->tok.str = NULL;
	c->havetok = 0;
	if (c->havepending) {
		c->tok = c->pending;
		c->havepending = 0;
		c->havetok = 1;
	}
}

void
pfm_next(struct pfm_pctx *c)
{
	pfm_discard(c);
	if (c->errflag > 0)
		c->errflag--;
}

char *
pfm_take_string(struct pfm_pctx *c)
{
	char *s;

	pfm_peek(c);
	s = c->tok.str;
	c->tok.str = NULL;
	pfm_next(c);
	return (s);
}

int
pfm_accept(struct pfm_pctx *c, int type)
{
	if (pfm_peek(c) != type)
		return (0);
	pfm_next(c);
	return (1);
}

/* A parse error: "syntax error" unless yacc would still be recovering. Returns -1. */
int
pfm_syntax(struct pfm_pctx *c)
{
	pfm_peek(c);
	if (c->errflag == 0)
		pfm_yyerror(c, "syntax error");
	else
		c->rs_errors++;
	return (-1);
}

int
pfm_check_rulestate(struct pfm_pctx *c, int desired)
{
	if (c->require_order && c->rulestate > desired) {
		pfm_yyerror(c, "Rules must be in order: options, ethernet, "
		    "normalization, queueing, translation, filtering");
		return (1);
	}
	c->rulestate = desired;
	return (0);
}

void
pfm_optnl(struct pfm_pctx *c)
{
	while (pfm_peek(c) == '\n')
		pfm_next(c);
}

int
pfm_comma(struct pfm_pctx *c)
{
	return (pfm_accept(c, ','));
}

int
pfm_list_open(struct pfm_pctx *c)
{
	if (!pfm_accept(c, '{'))
		return (0);
	pfm_optnl(c);
	return (1);
}

int
pfm_list_more(struct pfm_pctx *c, int braced)
{
	if (!braced)
		return (0);
	pfm_optnl(c);
	if (pfm_accept(c, '}'))
		return (0);
	pfm_comma(c);
	return (1);
}

int
pfm_rule_end(struct pfm_pctx *c, int state)
{
	if (pfm_peek(c) != '\n' && pfm_peek(c) != T_EOF)
		return (pfm_syntax(c));
	return (pfm_check_rulestate(c, state) ? -1 : 0);
}
