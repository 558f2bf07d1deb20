/* sys/socket.h stand-in (vagrant/standins/README): the C library's own <sys/socket.h>
 * with FreeBSD's AF_LINK (sys/sys/socket.h), which glibc lacks; net/if_dl.h does not
 * define it on FreeBSD, so its stand-in does not either. */
#ifndef STANDIN_SYS_SOCKET_H
#define STANDIN_SYS_SOCKET_H

#include_next <sys/socket.h>

#ifndef AF_LINK
#define AF_LINK		18
#endif

#endif
