/* sys/procctl.h stand-in (vagrant/standins/README): FreeBSD's procctl(2). */
#ifndef STANDIN_SYS_PROCCTL_H
#define STANDIN_SYS_PROCCTL_H

#include <sys/types.h>
#include <sys/wait.h>		/* idtype_t, P_PID */

#define PROC_PDEATHSIG_CTL	11

int	procctl(idtype_t, id_t, int, void *);

#endif
