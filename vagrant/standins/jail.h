/* jail.h stand-in (vagrant/standins/README): FreeBSD 14's lib/libjail/jail.h in the
 * same shape. Like the real header it includes nothing: struct jailparam needs size_t
 * and the prototypes __BEGIN_DECLS (<sys/types.h> first; jail(3) names <sys/param.h>,
 * <sys/jail.h>, <jail.h>). */
#ifndef STANDIN_JAIL_H
#define STANDIN_JAIL_H

#define JP_RAWVALUE	0x01
#define JP_BOOL		0x02
#define JP_NOBOOL	0x04
#define JP_JAILSYS	0x08

#define JAIL_ERRMSGLEN	1024

extern char jail_errmsg[];

struct jailparam {
	char		*jp_name;
	void		*jp_value;
	size_t		 jp_valuelen;
	size_t		 jp_elemlen;
	int		 jp_ctltype;
	int		 jp_structtype;
	unsigned	 jp_flags;
};

__BEGIN_DECLS
int	jail_getid(const char *name);
char	*jail_getname(int jid);
int	jail_setv(int flags, ...);
int	jail_getv(int flags, ...);
__END_DECLS

#endif
