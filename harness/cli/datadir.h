/* datadir.h: where an installed pfharness finds its scenario library (datadir.c). */
#ifndef DATADIR_H
#define DATADIR_H

/* PREFIX/share/pfharness, as `make install` compiled it. */
extern const char run_datadir[];

#endif
