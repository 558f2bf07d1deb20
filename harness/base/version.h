/* version.h: the harness version, recorded in every result. */
#ifndef VERSION_H
#define VERSION_H
#define PFH_VERSION	"0.1.0"
#endif
