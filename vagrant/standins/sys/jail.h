/* sys/jail.h stand-in (vagrant/standins/README): the userland part of FreeBSD 14's
 * sys/sys/jail.h, in the same shape. Like the real header it includes nothing: struct
 * xprison needs MAXPATHLEN and MAXHOSTNAMELEN (<sys/param.h>) and cpusetid_t
 * (<sys/types.h>), and the prototypes need __BEGIN_DECLS, so a file that includes it
 * without <sys/param.h> first fails here as it fails on FreeBSD (jail(2): "#include
 * <sys/param.h>, #include <sys/jail.h>"). */
#ifndef STANDIN_SYS_JAIL_H
#define STANDIN_SYS_JAIL_H

struct jail {
	uint32_t	 version;
	char		*path;
	char		*hostname;
	char		*jailname;
	uint32_t	 ip4s;
	uint32_t	 ip6s;
	struct in_addr	*ip4;
	struct in6_addr	*ip6;
};
#define JAIL_API_VERSION	2

struct xprison_v1 {
	int		 pr_version;
	int		 pr_id;
	char		 pr_path[MAXPATHLEN];
	char		 pr_host[MAXHOSTNAMELEN];
	u_int32_t	 pr_ip;
};

struct xprison {
	int		 pr_version;
	int		 pr_id;
	int		 pr_state;
	cpusetid_t	 pr_cpusetid;
	char		 pr_path[MAXPATHLEN];
	char		 pr_host[MAXHOSTNAMELEN];
	char		 pr_name[MAXHOSTNAMELEN];
	uint32_t	 pr_ip4s;
	uint32_t	 pr_ip6s;
};
#define XPRISON_VERSION		3

#define JAIL_CREATE	0x01
#define JAIL_UPDATE	0x02
#define JAIL_ATTACH	0x04
#define JAIL_DYING	0x08
#define JAIL_SET_MASK	0x0f
#define JAIL_GET_MASK	0x08

#define JAIL_SYS_DISABLE	0
#define JAIL_SYS_NEW		1
#define JAIL_SYS_INHERIT	2

struct iovec;

__BEGIN_DECLS
int	jail(struct jail *);
int	jail_set(struct iovec *, unsigned int, int);
int	jail_get(struct iovec *, unsigned int, int);
int	jail_attach(int);
int	jail_remove(int);
__END_DECLS

#endif
