/* pfm_syncookie.c: `set syncookies` as FreeBSD 14's pf does it (sys/netpfil/pf/
 * pf_syncookies.c; pf.c pf_test's TCP case; tests/sys/netpfil/pf/syncookie.sh).
 */
/*
 * While syncookies are active (mode always, or adaptive past its high-water mark) pf
 * answers every SYN coming in itself, before any state or rule: a SYN|ACK from the
 * address the client wrote, window 0, an MSS option (the client's, at least
 * net.inet.tcp.mssdflt), and an ISN that is a cookie: a keyed hash of the connection
 * and the client's ISN (pf: SipHash-2-4; the model: its own keyed mix, the key random
 * per pf) over 24 bits, and 8 bits of the MSS and window scale indices and the key's
 * parity. It keeps no state. An ACK that matches no state and carries a valid cookie
 * (ack - 1) makes pf rebuild the SYN (the client's ISN, the MSS and window scale
 * from the cookie's tables, the window scale's value as the window: pf_build_tcp's
 * argument order in pf_syncookie_recreate_syn) and test it as a packet of its own,
 * so the rules create the state; the ACK then finds it, and pf opens the server's
 * side as synproxy does (PROXY_DST, pfm_synproxy.c). The keys rotate every 15 seconds
 * (PF_SYNCOOKIE_SECRET_LIFETIME): a cookie is good for the key it was made with and
 * the next one, while cookies of that parity are in flight.
 */
#include <string.h>

#include "pfm_impl.h"

#define SC_LIFETIME_MS	15000	/* PF_SYNCOOKIE_SECRET_LIFETIME */
#define SC_HIWAT_PCT	25	/* PF_SYNCOOKIES_HIWATPCT */
#define TCP_MSSDFLT	536

/* LCNT_* of pfvar.h that syncookies count */
#define LCNT_SYNFLOODS	7
#define LCNT_SYNCOOKIES_SENT	8
#define LCNT_SYNCOOKIES_VALID	9

static const uint16_t msstab[8] = { 216, 536, 1200, 1360, 1400, 1440, 1452, 1460 };
static const uint8_t wstab[8] = { 0, 0, 1, 2, 4, 6, 7, 8 };

/* union pf_syncookie's flags in their byte: oddeven, sack_ok, wscale_idx, mss_idx */
#define CK_ODDEVEN(c)	((c) & 1)
#define CK_WSIDX(c)	(((c) >> 2) & 7)
#define CK_MSSIDX(c)	(((c) >> 5) & 7)

/* pf_syncookie_rotate, on the model's clock: the parity flips, the new parity's key
 * is new and nothing of it is in flight. */
static void
rotate(struct pfm *pf)
{
	uint64_t epoch = (pf->now_ms - pf->since_ms) / SC_LIFETIME_MS;

	if (pf->sc_key[0] == 0 && pf->sc_key[1] == 0) {
		pf->sc_key[0] = (uint64_t)pfm_random(pf) << 32 | pfm_random(pf);
		pf->sc_key[1] = (uint64_t)pfm_random(pf) << 32 | pfm_random(pf);
		pf->sc_epoch = epoch;
	}
	for (; pf->sc_epoch < epoch; pf->sc_epoch++) {
		pf->sc_oddeven ^= 1;
		pf->sc_inflight[pf->sc_oddeven] = 0;
		pf->sc_key[pf->sc_oddeven] = (uint64_t)pfm_random(pf) << 32 |
		    pfm_random(pf);
	}
}

static uint64_t
mix(uint64_t h, uint64_t x)
{
	h ^= x + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	h ^= h >> 31;
	h *= 0xbf58476d1ce4e5b9ULL;
	return (h ^ (h >> 29));
}

/* pf_syncookie_mac: the connection (as the client sent it), its ISN and the cookie
 * byte under the key of the cookie's parity. */
static uint32_t
mac(const struct pfm *pf, const struct pfm_pd *pd, uint8_t cookie, uint32_t seq)
{
	int i, n = pd->af == 4 ? 4 : 16;
	uint64_t h = pf->sc_key[CK_ODDEVEN(cookie)];

	for (i = 0; i < n; i++)
		h = mix(h, (uint64_t)pd->pkt[pd->src_off + i] << 8 |
		    pd->pkt[pd->dst_off + i]);
	h = mix(h, (uint64_t)pd->sport << 16 | pd->dport);
	h = mix(h, (uint64_t)seq << 8 | cookie);
	return ((uint32_t)h);
}

/* Half-open TCP states (pf's states_halfopen): the creating side not yet
 * established. */
static uint32_t
halfopen(const struct pfm *pf)
{
	const struct pfm_state *s;
	uint32_t n = 0;

	for (s = pf->st.head; s != NULL; s = s->lnext)
		if (s->wkey.proto == 6 && s->src.state != PFM_TCPS_CLOSED &&
		    s->src.state < PFM_TCPS_ESTABLISHED)
			n++;
	return (n);
}

void
pfm_syncookie_load(struct pfm *pf)
{
	/* pf_set_syncookies: `always` is active at once, the others not */
	pf->sc_active = pf->rs != NULL && pf->rs->syncookies == PFM_SYNCOOKIES_ALWAYS;
}

int
pfm_synflood_check(struct pfm *pf)
{
	int mode = pf->rs != NULL ? pf->rs->syncookies : PFM_SYNCOOKIES_NEVER;
	uint32_t hi, lo, limit = pf->limit_states, n;

	if (pf->sc_nested)	/* PF_MTAG_FLAG_SYNCOOKIE_RECREATED */
		return (0);
	if (mode != PFM_SYNCOOKIES_ADAPTIVE)
		return (mode == PFM_SYNCOOKIES_ALWAYS);
	/* pfctl's percentages of the state limit (pf_set_syncookies) */
	hi = pf->rs->syncookies_hi ? (uint32_t)pf->rs->syncookies_hi : SC_HIWAT_PCT;
	lo = pf->rs->syncookies_lo ? (uint32_t)pf->rs->syncookies_lo : SC_HIWAT_PCT / 2;
	hi = hi * limit / 100;
	lo = lo * limit / 100;
	n = halfopen(pf);
	if (!pf->sc_active && n > hi) {
		pf->sc_active = 1;
		pf->lcounters[LCNT_SYNFLOODS]++;
	} else if (pf->sc_active && n < lo)
		pf->sc_active = 0;
	return (pf->sc_active);
}

void
pfm_syncookie_send(struct pfm *pf, const struct pfm_pd *pd, struct pfm_verdict *v)
{
	uint16_t mss = pfm_tcp_mss(pd);
	uint8_t ws = pfm_tcp_wscale(pd), cookie, mi, wi;
	uint32_t hash, iss;
	struct pfm_emit *e;

	rotate(pf);
	if (mss < TCP_MSSDFLT)
		mss = TCP_MSSDFLT;
	for (mi = 7; msstab[mi] > mss && mi > 0; mi--)
		;
	/* pf_get_wscale's value keeps PF_WSCALE_FLAG: any option maps to the top */
	for (wi = 7; wstab[wi] > ws && wi > 0; wi--)
		;
	cookie = (uint8_t)(pf->sc_oddeven | wi << 2 | mi << 5);
	hash = mac(pf, pd, cookie, pd->seq);
	iss = (hash & ~0xffu) | ((cookie ^ (hash >> 24)) & 0xff);
	if (v->nemit < PFM_EMIT_MAX) {
		e = &v->emit[v->nemit];
		e->to = PFM_EMIT_BACK;
		e->skip = 1;
		e->len = pfm_tcp_build(e->pkt, sizeof(e->pkt), pd->af, pd->pkt + pd->dst_off,
		    pd->pkt + pd->src_off, pd->dport, pd->sport, iss, pd->seq + 1,
		    TH_SYN | TH_ACK, 0, mss, 0);
		if (e->len > 0)
			v->nemit++;
	}
	pf->lcounters[LCNT_SYNCOOKIES_SENT]++;
	pf->sc_inflight[pf->sc_oddeven]++;
}

int
pfm_syncookie_validate(struct pfm *pf, const struct pfm_pd *pd)
{
	uint32_t ack = pd->ack - 1, seq = pd->seq - 1;
	uint8_t cookie = (uint8_t)((ack & 0xff) ^ (ack >> 24));

	/* nothing in flight: no cookie to check (and no key to make) */
	if (pf->sc_inflight[0] == 0 && pf->sc_inflight[1] == 0)
		return (0);
	rotate(pf);
	if (pf->sc_inflight[CK_ODDEVEN(cookie)] == 0)
		return (0);
	if ((ack & ~0xffu) != (mac(pf, pd, cookie, seq) & ~0xffu))
		return (0);
	pf->lcounters[LCNT_SYNCOOKIES_VALID]++;
	pf->sc_inflight[CK_ODDEVEN(cookie)]--;
	return (1);
}

size_t
pfm_syncookie_syn(const struct pfm_pd *pd, uint8_t *out, size_t cap)
{
	uint32_t ack = pd->ack - 1;
	uint8_t cookie = (uint8_t)((ack & 0xff) ^ (ack >> 24));

	return (pfm_tcp_build(out, cap, pd->af, pd->pkt + pd->src_off,
	    pd->pkt + pd->dst_off, pd->sport, pd->dport, pd->seq - 1, 0, TH_SYN,
	    wstab[CK_WSIDX(cookie)], msstab[CK_MSSIDX(cookie)],
	    pd->af == 4 ? pd->pkt[8] : 0));
}
