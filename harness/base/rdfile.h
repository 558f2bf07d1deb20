/* rdfile.h: the files a user names, read whole and bounded: regular files only (and
 * /dev/null; a FIFO or standard input where the caller allows it), a size cap, NUL
 * bytes and CRLF line ends found, every failure worded with the file's name. */
#ifndef RDFILE_H
#define RDFILE_H

#include <stddef.h>

#define RDFILE_MAX	(64u * 1024 * 1024)	/* the default cap, in bytes */

#define RDFILE_FIFO	0x01	/* a FIFO or a pipe is accepted (a file the user named) */
#define RDFILE_STDIN	0x02	/* "-" is standard input */

struct rdfile {
	char	*buf;		/* the bytes, NUL-terminated after len; malloc'd */
	size_t	 len;
	int	 nul_line;	/* the line of the first NUL byte, 0: none */
	int	 crlf_line;	/* the first line that ends in "\r\n", 0: none */
	unsigned long long dev, ino;	/* which file it is (include loops) */
};

/* Read path whole into f (at most max bytes, 0: RDFILE_MAX). 0, or -1 with err set to
 * "PATH: why" (a directory, not a regular file, larger than the cap, strerror). The
 * caller frees f with rdfile_free, also after -1 (a no-op then). */
int	rdfile_read(const char *path, size_t max, int flags, struct rdfile *f, char *err,
	    size_t errlen);
void	rdfile_free(struct rdfile *);
/* Read every absolute path under dir from now on (`--root`: an admin's tree copied
 * here, so that /etc/pf.badhosts is dir/etc/pf.badhosts); NULL: as they are. The one
 * process-wide setting of this library, for the command line around loading a ruleset.
 * 0, or -1 when dir is too long. */
int	rdfile_root(const char *dir);

#endif
