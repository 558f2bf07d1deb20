/* tests.h: every CUnit suite's registration function; test_main.c calls them all. */
#ifndef TESTS_H
#define TESTS_H

/* Each returns 0, or -1 when CUnit could not register the suite. */
int	diag_test_register(void);

#endif
