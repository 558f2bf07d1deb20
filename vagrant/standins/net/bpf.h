/* net/bpf.h stand-in (vagrant/standins/README): FreeBSD's BPF device interface
 * (sys/net/bpf.h). Like the real header it includes no system header: u_int and the
 * fixed-width types need <sys/types.h>, the BIOC* requests <sys/ioctl.h>, struct
 * bpf_hdr <sys/time.h>, and BIOCSETIF's struct ifreq <net/if.h> where it is used. */
#ifndef STANDIN_NET_BPF_H
#define STANDIN_NET_BPF_H

typedef int32_t		bpf_int32;
typedef uint32_t	bpf_u_int32;

#define BPF_ALIGNMENT		sizeof(long)
#define BPF_WORDALIGN(x)	(((x) + (BPF_ALIGNMENT - 1)) & ~(BPF_ALIGNMENT - 1))

struct bpf_insn {
	u_short		code;
	u_char		jt;
	u_char		jf;
	bpf_u_int32	k;
};

struct bpf_program {
	u_int		 bf_len;
	struct bpf_insn	*bf_insns;
};

struct bpf_stat {
	u_int	bs_recv;
	u_int	bs_drop;
};

struct bpf_hdr {
	struct timeval	bh_tstamp;
	bpf_u_int32	bh_caplen;
	bpf_u_int32	bh_datalen;
	u_short		bh_hdrlen;
};

#define BIOCGBLEN	_IOR('B', 102, u_int)
#define BIOCSBLEN	_IOWR('B', 102, u_int)
#define BIOCSETF	_IOW('B', 103, struct bpf_program)
#define BIOCSETIF	_IOW('B', 108, struct ifreq)
#define BIOCSRTIMEOUT	_IOW('B', 109, struct timeval)
#define BIOCGSTATS	_IOR('B', 111, struct bpf_stat)
#define BIOCIMMEDIATE	_IOW('B', 112, u_int)
#define BIOCSHDRCMPLT	_IOW('B', 117, u_int)
#define BIOCSDIRECTION	_IOW('B', 119, u_int)

enum bpf_direction { BPF_D_IN, BPF_D_INOUT, BPF_D_OUT };

#define BPF_RET		0x06
#define BPF_K		0x00
#define BPF_STMT(code, k)	{ (u_short)(code), 0, 0, k }

#endif
