#ifndef EMUD_CSYSTEMCALLS_H
#define EMUD_CSYSTEMCALLS_H
/* emud's one C shim: the Linux calls Swift's Glibc module does not import — functions glibc declares only
 * under _GNU_SOURCE (fallocate, pwritev2, SEEK_DATA/SEEK_HOLE, memfd_create, eventfd, signalfd, accept4,
 * SO_PEERCRED, epoll with its packed struct epoll_event) and ioctl requests built by function-like macros (BLKGETSIZE64, BLKZEROOUT). Each returns
 * what the system call returns: -1 with errno on failure. Only the SystemCalls module and SCSIEmu's
 * Core/Storage/StoreFile*.swift call them. store.c holds the backing stores' calls, gnu.c the daemon's. */
#include <errno.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>
#include <sys/uio.h>

/* IOV_MAX (the kernel's UIO_MAXIOV): the most iovecs one preadv/pwritev takes (store.c checks it). */
enum { CSTORE_IOV_MAX = 1024 };

/* fallocate(2), FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE: deallocates; the range reads as zeros. */
int cstore_punch_hole(int fd, int64_t offset, int64_t length);
/* fallocate(2), FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE: zeroes, keeping the space allocated. */
int cstore_zero_range(int fd, int64_t offset, int64_t length);
/* pwritev2(2) with RWF_DSYNC: the data is on stable storage when it returns. */
ssize_t cstore_pwritev_dsync(int fd, const struct iovec *iov, int count, int64_t offset);
/* preadv2(2) with RWF_NOWAIT: what the page cache holds, without waiting for the device; -1 with EAGAIN
 * when nothing is there, a short count when only a part is (EOPNOTSUPP where the file cannot). */
ssize_t cstore_preadv_nowait(int fd, const struct iovec *iov, int count, int64_t offset);
/* pwritev2(2) with RWF_NOWAIT: a buffered write that must not wait (a probe: ext4 answers EOPNOTSUPP
 * before Linux 6.x's buffered NOWAIT writes, where it is EAGAIN or a count). */
ssize_t cstore_pwritev_nowait(int fd, const struct iovec *iov, int count, int64_t offset);
/* pread(2) as one inline system call: no call into glibc's wrapper (a call level, and its cancellation
 * point) between the store and the kernel. Each call level open across the system call costs a READ
 * about 6 ns: the returns after it are mispredicted (docs/performance.md, session 16, round 2). Returns
 * the count read, or a negative errno (errno is not set): the caller's fast path takes only a whole
 * count and repeats anything else through glibc's pread. */
static inline ssize_t cstore_pread_inline(int fd, void *buffer, size_t count, int64_t offset) {
#if defined(__x86_64__)
    register long r10 __asm__("r10") = (long)offset;
    long result;
    __asm__ volatile("syscall"
                     : "=a"(result)
                     : "0"((long)SYS_pread64), "D"((long)fd), "S"(buffer), "d"(count), "r"(r10)
                     : "rcx", "r11", "memory");
    return result;
#elif defined(__aarch64__)
    register long x0 __asm__("x0") = fd;
    register long x1 __asm__("x1") = (long)buffer;
    register long x2 __asm__("x2") = (long)count;
    register long x3 __asm__("x3") = (long)offset;
    register long x8 __asm__("x8") = SYS_pread64;
    __asm__ volatile("svc #0" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x3), "r"(x8) : "memory");
    return x0;
#else
    ssize_t n = pread(fd, buffer, count, (off_t)offset);
    return n < 0 ? -errno : n;
#endif
}
/* lseek(2) with SEEK_DATA or SEEK_HOLE (hole != 0). */
int64_t cstore_seek(int fd, int64_t offset, int hole);
/* ioctl BLKGETSIZE64: a block device's size in bytes. */
int cstore_block_device_size(int fd, uint64_t *bytes);
/* ioctl BLKZEROOUT: writes zeros over a byte range of a block device. */
int cstore_block_zero_out(int fd, uint64_t offset, uint64_t length);

/* memfd_create(2) with MFD_CLOEXEC: the simulated kernel's shared ring memory. */
int csys_memfd_create(const char *name);
/* eventfd(2) with EFD_CLOEXEC (and EFD_NONBLOCK): the simulated kernel's doorbells. */
int csys_eventfd(unsigned int initial, int nonblocking);
/* Blocks the signals for the calling thread and returns a non-blocking signalfd(2) reading them. */
int csys_signalfd(const int *signals, int count);
/* The next signal number from a csys_signalfd descriptor, 0 when none is pending, -1 with errno. */
int csys_read_signal(int fd);
/* The user id of a Unix socket's peer (SO_PEERCRED), or -1 with errno. */
long csys_peer_uid(int fd);
/* accept4(2) with SOCK_NONBLOCK | SOCK_CLOEXEC. */
int csys_accept_nonblocking(int fd);
/* epoll_create1(2) with EPOLL_CLOEXEC: the ring event loop's interest list. */
int csys_epoll_create(void);
/* epoll_ctl(2) EPOLL_CTL_ADD of fd for input (level-triggered), reported with token. */
int csys_epoll_add(int epfd, int fd, uint64_t token);
/* epoll_ctl(2) EPOLL_CTL_DEL. */
int csys_epoll_remove(int epfd, int fd);
/* epoll_wait(2): the tokens of up to max (at most 64) ready descriptors; returns how many. */
int csys_epoll_wait(int epfd, uint64_t *tokens, int max, int timeout_ms);
/* pthread_setname_np(3) of the calling thread, the name cut to the kernel's 15 bytes. */
void csys_set_thread_name(const char *name);
/* getrusage(2) RUSAGE_THREAD's ru_nvcsw: the calling thread's voluntary context switches; -1 with errno. */
long csys_thread_voluntary_switches(void);
#endif
