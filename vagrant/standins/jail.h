/* jail.h stand-in (vagrant/standins/README): libjail's name lookup. */
#ifndef STANDIN_JAIL_H
#define STANDIN_JAIL_H

#define JAIL_ERRMSGLEN	1024
extern char jail_errmsg[];

int	jail_getid(const char *name);

#endif
