#!/usr/bin/env bash
# nowait-probe: what this kernel answers to buffered RWF_NOWAIT reads and writes on a file of DIR (the
# guest's ext4 /scratch, where the perf disks' images lie), one line per case:
#   read-cached    preadv2 NOWAIT of a page just written (in the page cache)
#   read-dropped   the same after drop_caches (expected: EAGAIN)
#   read-partial   8 KiB of which only the first page is cached (expected: a short count, 4096)
#   write-cached   pwritev2 NOWAIT over a page the cache holds (allocated, not under writeback)
#   write-hole     pwritev2 NOWAIT into a hole of the sparse file (needs block allocation)
#   write-append   pwritev2 NOWAIT past the end of the file
# Each line: case, then the count returned or the errno's name. Run by fio-ab.sh before its jobs
# (emud's FileStore serves cached reads with preadv2 RWF_NOWAIT on the ring thread, session 12).
# Usage: nowait-probe.sh DIR
set -u
dir=${1:?usage: nowait-probe.sh DIR}
f=$dir/nowait-probe.img
rm -f "$f"
py=python3; [ -x /usr/bin/python3 ] && py=/usr/bin/python3
"$py" - "$f" <<'EOF'
import errno, os, sys
path = sys.argv[1]
page = b"\x5a" * 4096
fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
os.pwrite(fd, page * 4, 0)          # pages 0-3 written (cached)
os.ftruncate(fd, 1 << 20)           # a sparse tail: a hole from 16 KiB
os.fsync(fd)

def attempt(name, call):
    try:
        print(f"{name}\t{call()}")
    except OSError as e:
        print(f"{name}\t{errno.errorcode.get(e.errno, e.errno)}")

def read(off, n):
    buf = bytearray(n)
    return lambda: os.preadv(fd, [buf], off, os.RWF_NOWAIT)

def write(off):
    return lambda: os.pwritev(fd, [page], off, os.RWF_NOWAIT)

attempt("read-cached", read(0, 4096))
os.fsync(fd)
os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
with open("/proc/sys/vm/drop_caches", "w") as d:
    d.write("1\n")
attempt("read-dropped", read(8192, 4096))
os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_RANDOM)  # no readahead:
os.pread(fd, 4096, 0)               # page 0 back in the cache, page 1 not
attempt("read-partial", read(0, 8192))
attempt("write-cached", write(0))
attempt("write-hole", write(65536))
attempt("write-append", write(1 << 20))
os.close(fd)
EOF
echo "kernel	$(uname -r)"
echo "filesystem	$(stat -f -c %T "$dir")"
rm -f "$f"
