/* probe_set.c: value sets as interval lists, boxes of them, and box lists with
 * subtraction (probe_set.h). */
#include <sys/socket.h>

#include <stdlib.h>
#include <string.h>

#include "probe_set.h"

int
pval_cmp(struct pval x, struct pval y)
{
	if (x.hi != y.hi)
		return (x.hi < y.hi ? -1 : 1);
	if (x.lo != y.lo)
		return (x.lo < y.lo ? -1 : 1);
	return (0);
}

struct pval
pval_u(uint64_t v)
{
	struct pval p = { 0, v };

	return (p);
}

static struct pval
pval_inc(struct pval v)
{
	if (++v.lo == 0)
		v.hi++;
	return (v);
}

static struct pval
pval_dec(struct pval v)
{
	if (v.lo-- == 0)
		v.hi--;
	return (v);
}

static int
pval_zero(struct pval v)
{
	return (v.hi == 0 && v.lo == 0);
}

struct pval
pval_addr(int af, const uint8_t *a)
{
	struct pval v = { 0, 0 };
	int i;

	if (af == AF_INET) {
		v.lo = (uint64_t)a[0] << 24 | (uint64_t)a[1] << 16 | (uint64_t)a[2] << 8 | a[3];
		return (v);
	}
	for (i = 0; i < 8; i++) {
		v.hi = v.hi << 8 | a[i];
		v.lo = v.lo << 8 | a[8 + i];
	}
	return (v);
}

void
pval_to_addr(struct pval v, int af, uint8_t *a)
{
	int i;

	if (af == AF_INET) {
		for (i = 0; i < 4; i++)
			a[i] = (uint8_t)(v.lo >> (24 - 8 * i));
		return;
	}
	for (i = 0; i < 8; i++) {
		a[i] = (uint8_t)(v.hi >> (56 - 8 * i));
		a[8 + i] = (uint8_t)(v.lo >> (56 - 8 * i));
	}
}

struct pval
pdim_max(enum pdim d, int af)
{
	struct pval v = { 0, 0 };

	switch (d) {
	case PD_SRC:
	case PD_DST:
		if (af == AF_INET6) {
			v.hi = v.lo = UINT64_MAX;
		} else
			v.lo = 0xffffffffu;
		break;
	case PD_SPORT:
	case PD_DPORT:
		v.lo = 0xffff;
		break;
	case PD_PROTO:
	case PD_FLAGS:
	case PD_ITYPE:
	case PD_ICODE:
		v.lo = 0xff;
		break;
	case PD_N:
		break;
	}
	return (v);
}

void
pset_init(struct pset *s)
{
	s->iv = NULL;
	s->n = s->cap = 0;
}

void
pset_free(struct pset *s)
{
	free(s->iv);
	pset_init(s);
}

static int
pset_room(struct pset *s, int n)
{
	struct pivl *p;
	int cap;

	if (n <= s->cap)
		return (0);
	cap = s->cap ? s->cap : 2;
	while (cap < n)
		cap *= 2;
	if ((p = realloc(s->iv, (size_t)cap * sizeof(*p))) == NULL)
		return (-1);
	s->iv = p;
	s->cap = cap;
	return (0);
}

/* Append [a,b] after the last interval (a beyond it), merging when adjacent. */
static int
pset_push(struct pset *s, struct pval a, struct pval b)
{
	struct pivl *l;

	if (s->n > 0) {
		l = &s->iv[s->n - 1];
		if (pval_cmp(pval_inc(l->b), a) >= 0 && !(l->b.hi == UINT64_MAX &&
		    l->b.lo == UINT64_MAX)) {
			if (pval_cmp(b, l->b) > 0)
				l->b = b;
			return (0);
		}
		if (l->b.hi == UINT64_MAX && l->b.lo == UINT64_MAX)
			return (0);	/* already up to the top */
	}
	if (pset_room(s, s->n + 1) == -1)
		return (-1);
	s->iv[s->n].a = a;
	s->iv[s->n++].b = b;
	return (0);
}

int
pset_copy(struct pset *dst, const struct pset *src)
{
	dst->n = 0;
	if (pset_room(dst, src->n) == -1)
		return (-1);
	if (src->n > 0)
		memcpy(dst->iv, src->iv, (size_t)src->n * sizeof(*src->iv));
	dst->n = src->n;
	return (0);
}

int
pset_add(struct pset *s, struct pval a, struct pval b)
{
	struct pset t;
	int i, done = 0;

	if (pval_cmp(a, b) > 0)
		return (0);
	if (s->n == 0 || pval_cmp(s->iv[s->n - 1].b, a) < 0)
		return (pset_push(s, a, b));
	pset_init(&t);
	for (i = 0; i < s->n; i++) {
		if (!done && pval_cmp(a, s->iv[i].a) <= 0) {
			if (pset_push(&t, a, b) == -1)
				goto fail;
			done = 1;
		}
		if (pset_push(&t, s->iv[i].a, s->iv[i].b) == -1)
			goto fail;
	}
	if (!done && pset_push(&t, a, b) == -1)
		goto fail;
	pset_free(s);
	*s = t;
	return (0);
fail:
	pset_free(&t);
	return (-1);
}

int
pset_full(struct pset *s, struct pval max)
{
	s->n = 0;
	return (pset_push(s, pval_u(0), max));
}

int
pset_add_set(struct pset *s, const struct pset *x)
{
	int i;

	for (i = 0; i < x->n; i++)
		if (pset_add(s, x->iv[i].a, x->iv[i].b) == -1)
			return (-1);
	return (0);
}

int
pset_and(struct pset *out, const struct pset *x, const struct pset *y)
{
	struct pset t;
	struct pval a, b;
	int i = 0, k = 0;

	pset_init(&t);
	while (i < x->n && k < y->n) {
		a = pval_cmp(x->iv[i].a, y->iv[k].a) > 0 ? x->iv[i].a : y->iv[k].a;
		b = pval_cmp(x->iv[i].b, y->iv[k].b) < 0 ? x->iv[i].b : y->iv[k].b;
		if (pval_cmp(a, b) <= 0 && pset_push(&t, a, b) == -1) {
			pset_free(&t);
			return (-1);
		}
		if (pval_cmp(x->iv[i].b, y->iv[k].b) < 0)
			i++;
		else
			k++;
	}
	pset_free(out);
	*out = t;
	return (0);
}

int
pset_minus(struct pset *out, const struct pset *x, const struct pset *y)
{
	struct pset t;
	struct pval a;
	int i, k = 0;

	pset_init(&t);
	for (i = 0; i < x->n; i++) {
		a = x->iv[i].a;
		while (k < y->n && pval_cmp(y->iv[k].b, a) < 0)
			k++;
		for (; k < y->n && pval_cmp(y->iv[k].a, x->iv[i].b) <= 0; k++) {
			if (pval_cmp(y->iv[k].a, a) > 0 &&
			    pset_push(&t, a, pval_dec(y->iv[k].a)) == -1)
				goto fail;
			if (pval_cmp(y->iv[k].b, x->iv[i].b) >= 0)
				break;
			a = pval_inc(y->iv[k].b);
		}
		if (k < y->n && pval_cmp(y->iv[k].a, x->iv[i].b) <= 0 &&
		    pval_cmp(y->iv[k].b, x->iv[i].b) >= 0)
			continue;	/* the rest of x's interval is covered */
		if (pset_push(&t, a, x->iv[i].b) == -1)
			goto fail;
	}
	pset_free(out);
	*out = t;
	return (0);
fail:
	pset_free(&t);
	return (-1);
}

int
pset_empty(const struct pset *s)
{
	return (s->n == 0);
}

int
pset_has(const struct pset *s, struct pval v)
{
	int lo = 0, hi = s->n - 1, m;

	while (lo <= hi) {
		m = (lo + hi) / 2;
		if (pval_cmp(v, s->iv[m].a) < 0)
			hi = m - 1;
		else if (pval_cmp(v, s->iv[m].b) > 0)
			lo = m + 1;
		else
			return (1);
	}
	return (0);
}

int
pset_meets(const struct pset *x, const struct pset *y)
{
	int i = 0, k = 0;

	while (i < x->n && k < y->n) {
		if (pval_cmp(x->iv[i].b, y->iv[k].a) < 0)
			i++;
		else if (pval_cmp(y->iv[k].b, x->iv[i].a) < 0)
			k++;
		else
			return (1);
	}
	return (0);
}

int
pset_within(const struct pset *in, const struct pset *of)
{
	int i, k = 0;

	for (i = 0; i < in->n; i++) {
		while (k < of->n && pval_cmp(of->iv[k].b, in->iv[i].a) < 0)
			k++;
		if (k == of->n || pval_cmp(of->iv[k].a, in->iv[i].a) > 0 ||
		    pval_cmp(of->iv[k].b, in->iv[i].b) < 0)
			return (0);
	}
	return (1);
}

int
pset_pick(const struct pset *s, const struct pval *prefs, int n, struct pval *out)
{
	struct pval a;
	int i;

	for (i = 0; i < n; i++)
		if (pset_has(s, prefs[i])) {
			*out = prefs[i];
			return (0);
		}
	for (i = 0; i < s->n; i++) {
		a = s->iv[i].a;
		if (pval_cmp(pval_inc(pval_inc(a)), s->iv[i].b) <= 0 ||
		    (pval_zero(a) && pval_cmp(a, s->iv[i].b) < 0))
			a = pval_inc(a);
		*out = a;
		return (0);
	}
	return (-1);
}

void
pbox_init(struct pbox *b)
{
	int i;

	for (i = 0; i < PD_N; i++)
		pset_init(&b->d[i]);
}

void
pbox_free(struct pbox *b)
{
	int i;

	for (i = 0; i < PD_N; i++)
		pset_free(&b->d[i]);
}

int
pbox_copy(struct pbox *dst, const struct pbox *src)
{
	int i;

	for (i = 0; i < PD_N; i++)
		if (pset_copy(&dst->d[i], &src->d[i]) == -1)
			return (-1);
	return (0);
}

int
pbox_full(struct pbox *b, int af)
{
	int i;

	for (i = 0; i < PD_N; i++)
		if (pset_full(&b->d[i], pdim_max((enum pdim)i, af)) == -1)
			return (-1);
	return (0);
}

int
pbox_empty(const struct pbox *b)
{
	int i;

	for (i = 0; i < PD_N; i++)
		if (pset_empty(&b->d[i]))
			return (1);
	return (0);
}

int
pbox_meets(const struct pbox *x, const struct pbox *y)
{
	int i;

	for (i = 0; i < PD_N; i++)
		if (!pset_meets(&x->d[i], &y->d[i]))
			return (0);
	return (1);
}

int
pbox_and(struct pbox *out, const struct pbox *x, const struct pbox *y)
{
	int i;

	for (i = 0; i < PD_N; i++) {
		if (pset_and(&out->d[i], &x->d[i], &y->d[i]) == -1)
			return (-1);
		if (pset_empty(&out->d[i]))
			return (0);
	}
	return (1);
}

void
pregion_init(struct pregion *r)
{
	r->b = NULL;
	r->n = r->cap = 0;
	r->capped = 0;
}

void
pregion_free(struct pregion *r)
{
	int i;

	for (i = 0; i < r->n; i++)
		pbox_free(&r->b[i]);
	free(r->b);
	pregion_init(r);
}

/* Append b itself (taken, not copied). */
static int
pregion_take(struct pregion *r, struct pbox *b)
{
	struct pbox *nb;
	int cap;

	if (r->n == r->cap) {
		cap = r->cap ? r->cap * 2 : 4;
		if ((nb = realloc(r->b, (size_t)cap * sizeof(*nb))) == NULL)
			return (-1);
		r->b = nb;
		r->cap = cap;
	}
	r->b[r->n++] = *b;
	return (0);
}

int
pregion_add(struct pregion *r, const struct pbox *b)
{
	struct pbox c;

	if (pbox_empty(b))
		return (0);
	pbox_init(&c);
	if (pbox_copy(&c, b) == -1 || pregion_take(r, &c) == -1) {
		pbox_free(&c);
		return (-1);
	}
	return (0);
}

int
pregion_add_region(struct pregion *r, const struct pregion *x)
{
	int i;

	for (i = 0; i < x->n; i++)
		if (pregion_add(r, &x->b[i]) == -1)
			return (-1);
	r->capped |= x->capped;
	return (0);
}

/* The pieces of b outside q, appended to out: piece i keeps fields before i inside q,
 * field i outside q, the fields after it as b has them. */
static int
box_minus(struct pregion *out, const struct pbox *b, const struct pbox *q)
{
	struct pbox cur, piece;
	int i, k;

	pbox_init(&cur);
	if (pbox_copy(&cur, b) == -1)
		goto fail;
	for (i = 0; i < PD_N; i++) {
		pbox_init(&piece);
		for (k = 0; k < PD_N; k++)
			if ((k == i ? pset_minus(&piece.d[k], &cur.d[k], &q->d[k]) :
			    pset_copy(&piece.d[k], &cur.d[k])) == -1) {
				pbox_free(&piece);
				goto fail;
			}
		if (pbox_empty(&piece))
			pbox_free(&piece);
		else if (pregion_take(out, &piece) == -1) {
			pbox_free(&piece);
			goto fail;
		}
		if (pset_and(&cur.d[i], &cur.d[i], &q->d[i]) == -1)
			goto fail;
		if (pset_empty(&cur.d[i]))
			break;
	}
	pbox_free(&cur);
	return (0);
fail:
	pbox_free(&cur);
	return (-1);
}

int
pregion_minus(struct pregion *r, const struct pbox *q)
{
	struct pregion out;
	int i;

	if (r->n == 0)
		return (0);
	pregion_init(&out);
	out.capped = r->capped;
	for (i = 0; i < r->n; i++) {
		if (!pbox_meets(&r->b[i], q) || out.n + r->n - i > PREGION_MAX) {
			if (pbox_meets(&r->b[i], q))
				out.capped = 1;		/* kept whole: more than the truth */
			if (pregion_take(&out, &r->b[i]) == -1)
				goto fail;
			pbox_init(&r->b[i]);
			continue;
		}
		if (box_minus(&out, &r->b[i], q) == -1)
			goto fail;
	}
	pregion_free(r);
	*r = out;
	return (0);
fail:
	pregion_free(&out);
	return (-1);
}

int
pregion_and(struct pregion *r, const struct pbox *q)
{
	struct pregion out;
	struct pbox x;
	int i, rc;

	pregion_init(&out);
	out.capped = r->capped;
	for (i = 0; i < r->n; i++) {
		pbox_init(&x);
		if ((rc = pbox_and(&x, &r->b[i], q)) == -1) {
			pbox_free(&x);
			pregion_free(&out);
			return (-1);
		}
		if (rc == 0 || pregion_take(&out, &x) == -1)
			pbox_free(&x);
	}
	pregion_free(r);
	*r = out;
	return (0);
}

int
pregion_and_region(struct pregion *out, const struct pregion *a, const struct pregion *b)
{
	struct pbox x;
	int i, k, rc;

	for (i = 0; i < a->n; i++)
		for (k = 0; k < b->n; k++) {
			pbox_init(&x);
			if ((rc = pbox_and(&x, &a->b[i], &b->b[k])) == -1) {
				pbox_free(&x);
				return (-1);
			}
			if (rc == 1 && pregion_add(out, &x) == -1) {
				pbox_free(&x);
				return (-1);
			}
			pbox_free(&x);
		}
	out->capped |= a->capped | b->capped;
	return (0);
}

int
pregion_empty(const struct pregion *r)
{
	return (r->n == 0);
}
