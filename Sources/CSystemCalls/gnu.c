#define _GNU_SOURCE
#include "CSystemCalls.h"
#include <sys/mman.h>
#include <sys/eventfd.h>

/* memfd_create(2) with MFD_CLOEXEC: the simulated kernel's shared ring memory. */
int csys_memfd_create(const char *name) { return memfd_create(name, MFD_CLOEXEC); }

/* eventfd(2) with EFD_CLOEXEC (and EFD_NONBLOCK): the simulated kernel's doorbells. */
int csys_eventfd(unsigned int initial, int nonblocking) {
    return eventfd(initial, EFD_CLOEXEC | (nonblocking ? EFD_NONBLOCK : 0));
}

#include <signal.h>
#include <pthread.h>
#include <errno.h>
#include <unistd.h>
#include <sys/signalfd.h>

/* Blocks the signals for the calling thread (and threads it starts later) and returns a non-blocking
 * signalfd(2) reading them, or -1 with errno: the daemon's SIGTERM/SIGINT/SIGHUP. */
int csys_signalfd(const int *signals, int count) {
    sigset_t mask;
    sigemptyset(&mask);
    for (int i = 0; i < count; i++) sigaddset(&mask, signals[i]);
    int rc = pthread_sigmask(SIG_BLOCK, &mask, NULL);
    if (rc != 0) { errno = rc; return -1; }
    return signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
}

/* The next signal number from a csys_signalfd descriptor, 0 when none is pending, -1 with errno. */
int csys_read_signal(int fd) {
    struct signalfd_siginfo info;
    ssize_t n = read(fd, &info, sizeof info);
    if (n == (ssize_t)sizeof info) return (int)info.ssi_signo;
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return 0;
    if (n >= 0) errno = EIO;
    return -1;
}

#include <sys/socket.h>

/* The user id of a Unix socket's peer (SO_PEERCRED), or -1 with errno: who sent a control request. */
long csys_peer_uid(int fd) {
    struct ucred cred;
    socklen_t len = sizeof cred;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return -1;
    return (long)cred.uid;
}

/* accept4(2) with SOCK_NONBLOCK | SOCK_CLOEXEC: a control connection the daemon polls. */
int csys_accept_nonblocking(int fd) { return accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC); }

#include <sys/epoll.h>

/* epoll_create1(2) with EPOLL_CLOEXEC: the ring event loop's interest list. */
int csys_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

/* epoll_ctl(2) EPOLL_CTL_ADD: fd, level-triggered for input, reported with `token`. */
int csys_epoll_add(int epfd, int fd, uint64_t token) {
    struct epoll_event event = { .events = EPOLLIN, .data.u64 = token };
    return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &event);
}

/* epoll_ctl(2) EPOLL_CTL_DEL. */
int csys_epoll_remove(int epfd, int fd) { return epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL); }

/* epoll_wait(2) for up to `max` (at most 64) descriptors: writes their tokens (the packed struct
 * epoll_event stays on this side), returns how many, or -1 with errno. */
int csys_epoll_wait(int epfd, uint64_t *tokens, int max, int timeout_ms) {
    struct epoll_event events[64];
    if (max > 64) max = 64;
    int n = epoll_wait(epfd, events, max, timeout_ms);
    for (int i = 0; i < n; i++) tokens[i] = events[i].data.u64;
    return n;
}

#include <string.h>

/* pthread_setname_np(3) of the calling thread, the name cut to the kernel's 15 bytes (comm). */
void csys_set_thread_name(const char *name) {
    char comm[16];
    strncpy(comm, name, sizeof comm - 1);
    comm[sizeof comm - 1] = 0;
    pthread_setname_np(pthread_self(), comm);
}

#include <sys/resource.h>

/* The calling thread's voluntary context switches so far (getrusage(2) RUSAGE_THREAD, ru_nvcsw): it went
 * to sleep (a lock, I/O, a throttled write), as against being preempted (ru_nivcsw). -1 with errno. */
long csys_thread_voluntary_switches(void) {
    struct rusage usage;
    if (getrusage(RUSAGE_THREAD, &usage) != 0) return -1;
    return usage.ru_nvcsw;
}
