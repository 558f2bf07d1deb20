/* sys/types.h stand-in (vagrant/standins/README): the C library's own <sys/types.h>
 * with what FreeBSD's adds and glibc's lacks: the fixed-width integers (FreeBSD's
 * sys/types.h includes sys/_stdint.h) and cpusetid_t (sys/sys/types.h), so that a
 * stand-in that needs them needs <sys/types.h> as the real header does. */
#ifndef STANDIN_SYS_TYPES_H
#define STANDIN_SYS_TYPES_H

#include_next <sys/types.h>
#include <stdint.h>

typedef int	cpusetid_t;

#endif
