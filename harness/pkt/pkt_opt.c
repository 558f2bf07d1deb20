/* pkt_opt.c: IPv4 and TCP options: built from the notation, read from bytes, written
 * back as the notation's words. */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/diag.h"
#include "pkt.h"
#include "pkt_impl.h"

int
pkt_opt_pad(uint8_t *o, size_t n)
{
	while (n % 4 != 0 && n < PKT_OPT_MAX)
		o[n++] = 0;
	return (n > PKT_OPT_MAX || n % 4 != 0 ? -1 : (int)n);
}

static void
put16(uint8_t *o, uint32_t v)
{
	o[0] = (uint8_t)(v >> 8);
	o[1] = (uint8_t)v;
}

static void
put32(uint8_t *o, uint32_t v)
{
	put16(o, v >> 16);
	put16(o + 2, v);
}

int
pkt_tcpopt_build(const struct pkt_pat *p, uint8_t *out, char *err, size_t errlen)
{
	uint8_t o[128];
	size_t n = 0;
	int i, k, len;

	for (i = 0; i < p->ntopt && n <= PKT_OPT_MAX; i++) {
		switch (p->topt[i]) {
		case PKT_TCPOPT_EOL:
		case PKT_TCPOPT_NOP:
			o[n++] = p->topt[i];
			break;
		case PKT_TCPOPT_MSS:
			o[n++] = PKT_TCPOPT_MSS;
			o[n++] = 4;
			put16(o + n, p->mss.lo);
			n += 2;
			break;
		case PKT_TCPOPT_WSCALE:
			o[n++] = PKT_TCPOPT_WSCALE;
			o[n++] = 3;
			o[n++] = (uint8_t)p->wscale.lo;
			break;
		case PKT_TCPOPT_SACKOK:
			o[n++] = PKT_TCPOPT_SACKOK;
			o[n++] = 2;
			break;
		case PKT_TCPOPT_SACK:
			o[n++] = PKT_TCPOPT_SACK;
			o[n++] = (uint8_t)(2 + 8 * p->nsack);
			for (k = 0; k < p->nsack; k++) {
				put32(o + n, p->sack[k][0]);
				put32(o + n + 4, p->sack[k][1]);
				n += 8;
			}
			break;
		case PKT_TCPOPT_TS:
			o[n++] = PKT_TCPOPT_TS;
			o[n++] = 10;
			put32(o + n, p->tsval.lo);
			put32(o + n + 4, p->tsecr.lo);
			n += 8;
			break;
		}
	}
	if (n > PKT_OPT_MAX || (len = pkt_opt_pad(o, n)) == -1) {
		diag_errf(err, errlen, "TCP options longer than %d bytes", PKT_OPT_MAX);
		return (-1);
	}
	memcpy(out, o, (size_t)len);
	return (len);
}

static uint32_t
get32(const uint8_t *o)
{
	return ((uint32_t)o[0] << 24 | (uint32_t)o[1] << 16 | (uint32_t)o[2] << 8 | o[3]);
}

int
pkt_tcpopt_read(const uint8_t *o, size_t n, struct pkt_tcpopts *t)
{
	size_t i = 0, len;
	int k;

	memset(t, 0, sizeof(*t));
	while (i < n) {
		if (o[i] == PKT_TCPOPT_EOL)
			return (0);
		if (o[i] == PKT_TCPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= n || (len = o[i + 1]) < 2 || i + len > n)
			return (-1);
		switch (o[i]) {
		case PKT_TCPOPT_MSS:
			if (len != 4)
				return (-1);
			t->has_mss = 1;
			t->mss = (uint16_t)(o[i + 2] << 8 | o[i + 3]);
			break;
		case PKT_TCPOPT_WSCALE:
			if (len != 3)
				return (-1);
			t->has_wscale = 1;
			t->wscale = o[i + 2];
			break;
		case PKT_TCPOPT_SACKOK:
			t->sackok = 1;
			break;
		case PKT_TCPOPT_SACK:
			for (k = 0; k < (int)(len - 2) / 8 && k < PKT_SACK_MAX; k++) {
				t->sack[k][0] = get32(o + i + 2 + 8 * k);
				t->sack[k][1] = get32(o + i + 6 + 8 * k);
			}
			t->nsack = k;
			break;
		case PKT_TCPOPT_TS:
			if (len != 10)
				return (-1);
			t->has_ts = 1;
			t->tsval = get32(o + i + 2);
			t->tsecr = get32(o + i + 6);
			break;
		}
		i += len;
	}
	return (0);
}

const uint8_t *
pkt_ipopt_final_dst(const uint8_t *o, size_t n)
{
	size_t i = 0, ol;

	while (i < n) {
		if (o[i] == PKT_IPOPT_EOL)
			break;
		if (o[i] == PKT_IPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= n || (ol = o[i + 1]) < 2 || i + ol > n)
			break;
		if ((o[i] == PKT_IPOPT_LSRR || o[i] == PKT_IPOPT_SSRR) && ol >= 7)
			return (o + i + ol - 4);
		i += ol;
	}
	return (NULL);
}

/* Append to buf at *o, never past len. */
static void
app(char *buf, size_t len, size_t *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*o >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *o, len - *o, fmt, ap);
	va_end(ap);
	if (n > 0)
		*o += (size_t)n < len - *o ? (size_t)n : len - *o - 1;
}

/* An EOL that only pads: not on a 4-byte boundary, nothing but zeros after it. */
static int
pad_eol(const uint8_t *o, size_t i, size_t n)
{
	size_t k;

	if (i % 4 == 0)
		return (0);
	for (k = i; k < n; k++)
		if (o[k] != 0)
			return (0);
	return (1);
}

void
pkt_tcpopt_format(const uint8_t *o, size_t n, char *buf, size_t len)
{
	size_t i = 0, b = 0, ol;
	int k;

	if (len == 0)
		return;
	buf[0] = '\0';
	while (i < n) {
		const char *sp = b > 0 ? " " : "";

		if (o[i] == PKT_TCPOPT_EOL) {
			if (!pad_eol(o, i, n))
				app(buf, len, &b, "%seol", sp);
			return;
		}
		if (o[i] == PKT_TCPOPT_NOP) {
			app(buf, len, &b, "%snop", sp);
			i++;
			continue;
		}
		if (i + 1 >= n || (ol = o[i + 1]) < 2 || i + ol > n) {
			app(buf, len, &b, "%sbad-options", sp);
			return;
		}
		if (o[i] == PKT_TCPOPT_MSS && ol == 4)
			app(buf, len, &b, "%smss %u", sp, o[i + 2] << 8 | o[i + 3]);
		else if (o[i] == PKT_TCPOPT_WSCALE && ol == 3)
			app(buf, len, &b, "%swscale %u", sp, o[i + 2]);
		else if (o[i] == PKT_TCPOPT_SACKOK && ol == 2)
			app(buf, len, &b, "%ssackOK", sp);
		else if (o[i] == PKT_TCPOPT_TS && ol == 10)
			app(buf, len, &b, "%sts %u %u", sp, get32(o + i + 2), get32(o + i + 6));
		else if (o[i] == PKT_TCPOPT_SACK && ol >= 10 && (ol - 2) % 8 == 0) {
			app(buf, len, &b, "%ssack", sp);
			for (k = 0; k < (int)(ol - 2) / 8; k++)
				app(buf, len, &b, " %u-%u", get32(o + i + 2 + 8 * k),
				    get32(o + i + 6 + 8 * k));
		} else
			app(buf, len, &b, "%stcpopt-%u", sp, o[i]);
		i += ol;
	}
}

void
pkt_ipopt_format(const uint8_t *o, size_t n, char *buf, size_t len)
{
	size_t i = 0, b = 0, ol, k;
	char a[INET_ADDRSTRLEN];

	if (len == 0)
		return;
	buf[0] = '\0';
	while (i < n) {
		const char *sp = b > 0 ? " " : "";

		if (o[i] == PKT_IPOPT_EOL) {
			if (!pad_eol(o, i, n))
				app(buf, len, &b, "%seol", sp);
			return;
		}
		if (o[i] == PKT_IPOPT_NOP) {
			app(buf, len, &b, "%snop", sp);
			i++;
			continue;
		}
		if (i + 1 >= n || (ol = o[i + 1]) < 2 || i + ol > n) {
			app(buf, len, &b, "%sbad-options", sp);
			return;
		}
		if (o[i] == PKT_IPOPT_RA && ol == 4)
			app(buf, len, &b, "%sra", sp);
		else if ((o[i] == PKT_IPOPT_LSRR || o[i] == PKT_IPOPT_SSRR) && ol >= 7 &&
		    (ol - 3) % 4 == 0) {
			app(buf, len, &b, "%s%s", sp, o[i] == PKT_IPOPT_LSRR ? "lsrr" : "ssrr");
			for (k = 3; k + 4 <= ol; k += 4)
				app(buf, len, &b, " %s", inet_ntop(AF_INET, o + i + k, a,
				    sizeof(a)));
		} else
			app(buf, len, &b, "%sipopt-%u", sp, o[i]);
		i += ol;
	}
}
