#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/eventfd.h>

/* memfd_create(2) with MFD_CLOEXEC: the simulated kernel's shared ring memory. */
int ctcmu_memfd_create(const char *name) { return memfd_create(name, MFD_CLOEXEC); }

/* eventfd(2) with EFD_CLOEXEC (and EFD_NONBLOCK): the simulated kernel's doorbells. */
int ctcmu_eventfd(unsigned int initial, int nonblocking) {
    return eventfd(initial, EFD_CLOEXEC | (nonblocking ? EFD_NONBLOCK : 0));
}

#include <signal.h>
#include <pthread.h>
#include <errno.h>
#include <unistd.h>
#include <sys/signalfd.h>

/* Blocks the signals for the calling thread (and threads it starts later) and returns a non-blocking
 * signalfd(2) reading them, or -1 with errno: the daemon's SIGTERM/SIGINT/SIGHUP. */
int ctcmu_signalfd(const int *signals, int count) {
    sigset_t mask;
    sigemptyset(&mask);
    for (int i = 0; i < count; i++) sigaddset(&mask, signals[i]);
    int rc = pthread_sigmask(SIG_BLOCK, &mask, NULL);
    if (rc != 0) { errno = rc; return -1; }
    return signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
}

/* The next signal number from a ctcmu_signalfd descriptor, 0 when none is pending, -1 with errno. */
int ctcmu_read_signal(int fd) {
    struct signalfd_siginfo info;
    ssize_t n = read(fd, &info, sizeof info);
    if (n == (ssize_t)sizeof info) return (int)info.ssi_signo;
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return 0;
    if (n >= 0) errno = EIO;
    return -1;
}
