/* sink_maker_test.c: the socket maker (harness/target/sink_maker.c) that makes a
 * FreeBSD VNET jail's sockets for the sink: sockets handed over and usable here, the
 * maker's errors answered, a maker that could not enter answering its errno. */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "target/sink_maker.h"
#include "tests.h"

/* The maker's entry: nothing to enter here (FreeBSD's is jail_attach). */
static int
enter_ok(void *arg)
{
	(void)arg;
	return (0);
}

static int
enter_refused(void *arg)
{
	(void)arg;
	errno = EPERM;
	return (-1);
}

/* A UDP socket made by the maker: bound, sent to itself and read here. */
static void
test_socket(void)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	char buf[8];
	int h, fd;

	CU_ASSERT_EQUAL_FATAL(sink_maker_start(enter_ok, NULL, &h), 0);
	fd = sink_maker_socket(h, AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	CU_ASSERT(fcntl(fd, F_GETFL) & O_NONBLOCK);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CU_ASSERT_EQUAL(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	CU_ASSERT_EQUAL(getsockname(fd, (struct sockaddr *)&sin, &sl), 0);
	CU_ASSERT_NOT_EQUAL(sin.sin_port, 0);
	CU_ASSERT_EQUAL(sendto(fd, "maker", 5, 0, (struct sockaddr *)&sin, sl), 5);
	usleep(10000);
	CU_ASSERT_EQUAL(recv(fd, buf, sizeof(buf), 0), 5);
	close(fd);
	/* the maker's own error: no such family */
	errno = 0;
	CU_ASSERT_EQUAL(sink_maker_socket(h, 12345, SOCK_DGRAM, 0), -1);
	CU_ASSERT_EQUAL(errno, EAFNOSUPPORT);
	/* and it serves on */
	fd = sink_maker_socket(h, AF_INET, SOCK_STREAM, 0);
	CU_ASSERT(fd >= 0);
	if (fd >= 0)
		close(fd);
	close(h);
}

/* A maker that could not enter its place answers every request with that errno; one
 * whose end is gone gives EIO. */
static void
test_refused(void)
{
	int h;

	CU_ASSERT_EQUAL_FATAL(sink_maker_start(enter_refused, NULL, &h), 0);
	errno = 0;
	CU_ASSERT_EQUAL(sink_maker_socket(h, AF_INET, SOCK_DGRAM, 0), -1);
	CU_ASSERT_EQUAL(errno, EPERM);
	CU_ASSERT_EQUAL(sink_maker_socket(h, AF_INET, SOCK_DGRAM, 0), -1);
	CU_ASSERT_EQUAL(errno, EPERM);
	close(h);
	CU_ASSERT_EQUAL(sink_maker_socket(h, AF_INET, SOCK_DGRAM, 0), -1);
	CU_ASSERT_EQUAL(errno, EIO);
}

int
sink_maker_test_register(void)
{
	CU_pSuite s = CU_add_suite("sink_maker", NULL, NULL);

	if (s == NULL ||
	    CU_add_test(s, "sockets made and handed over", test_socket) == NULL ||
	    CU_add_test(s, "a maker that could not enter", test_refused) == NULL)
		return (-1);
	return (0);
}
