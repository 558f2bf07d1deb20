/* net/if_dl.h stand-in (vagrant/standins/README): FreeBSD's link-level sockaddr
 * (sys/net/if_dl.h); like the real header it includes nothing (u_char, caddr_t:
 * <sys/types.h> first). */
#ifndef STANDIN_NET_IF_DL_H
#define STANDIN_NET_IF_DL_H

struct sockaddr_dl {
	u_char	sdl_len;
	u_char	sdl_family;
	u_short	sdl_index;
	u_char	sdl_type;
	u_char	sdl_nlen;
	u_char	sdl_alen;
	u_char	sdl_slen;
	char	sdl_data[46];
};

#define LLADDR(s)	((caddr_t)((s)->sdl_data + (s)->sdl_nlen))

#endif
