/* sys/jail.h stand-in (vagrant/standins/README): the jail(2) system calls used. */
#ifndef STANDIN_SYS_JAIL_H
#define STANDIN_SYS_JAIL_H

int	jail_attach(int);
int	jail_remove(int);

#endif
