#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/eventfd.h>

/* memfd_create(2) with MFD_CLOEXEC: the simulated kernel's shared ring memory. */
int ctcmu_memfd_create(const char *name) { return memfd_create(name, MFD_CLOEXEC); }

/* eventfd(2) with EFD_CLOEXEC (and EFD_NONBLOCK): the simulated kernel's doorbells. */
int ctcmu_eventfd(unsigned int initial, int nonblocking) {
    return eventfd(initial, EFD_CLOEXEC | (nonblocking ? EFD_NONBLOCK : 0));
}
