/* datadir.c: where an installed pfharness finds its scenario library. `make install`
 * compiles this file again with PFH_DATADIR set to PREFIX/share/pfharness. */
#include "datadir.h"

#ifndef PFH_DATADIR
#define PFH_DATADIR	"/usr/local/share/pfharness"
#endif

const char run_datadir[] = PFH_DATADIR;
