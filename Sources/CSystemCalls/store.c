#define _GNU_SOURCE
#include "CSystemCalls.h"
#include <fcntl.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <limits.h>

_Static_assert(CSTORE_IOV_MAX == IOV_MAX, "IOV_MAX (UIO_MAXIOV) is not 1024");

int cstore_punch_hole(int fd, int64_t offset, int64_t length) {
    return fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)offset, (off_t)length);
}

int cstore_zero_range(int fd, int64_t offset, int64_t length) {
    return fallocate(fd, FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, (off_t)offset, (off_t)length);
}

ssize_t cstore_pwritev_dsync(int fd, const struct iovec *iov, int count, int64_t offset) {
    return pwritev2(fd, iov, count, (off_t)offset, RWF_DSYNC);
}

ssize_t cstore_preadv_nowait(int fd, const struct iovec *iov, int count, int64_t offset) {
    return preadv2(fd, iov, count, (off_t)offset, RWF_NOWAIT);
}

ssize_t cstore_pwritev_nowait(int fd, const struct iovec *iov, int count, int64_t offset) {
    return pwritev2(fd, iov, count, (off_t)offset, RWF_NOWAIT);
}

int64_t cstore_seek(int fd, int64_t offset, int hole) {
    return (int64_t)lseek(fd, (off_t)offset, hole ? SEEK_HOLE : SEEK_DATA);
}

int cstore_block_device_size(int fd, uint64_t *bytes) { return ioctl(fd, BLKGETSIZE64, bytes); }

int cstore_block_zero_out(int fd, uint64_t offset, uint64_t length) {
    uint64_t range[2] = {offset, length};
    return ioctl(fd, BLKZEROOUT, range);
}
