/* libjail_standin.c (vagrant/standins/README): jail_getid, jail_attach and procctl
 * bodies that fail, only so that the FreeBSD selection links on Linux. Never run. */
#include <sys/param.h>
#include <sys/wait.h>

#include <errno.h>

#include <jail.h>
#include <sys/jail.h>
#include <sys/procctl.h>

char jail_errmsg[JAIL_ERRMSGLEN] = "stand-in: no jails on this system";

int
jail_getid(const char *name)
{
	(void)name;
	return (-1);
}

int
jail_attach(int jid)
{
	(void)jid;
	errno = ENOSYS;
	return (-1);
}

int
procctl(idtype_t t, id_t id, int cmd, void *data)
{
	(void)t, (void)id, (void)cmd, (void)data;
	errno = ENOSYS;
	return (-1);
}
