/* librados and librbd (Debian 12: librados-dev, librbd-dev for the headers; Ceph 16.2 "pacific"),
 * loaded with dlopen when the first rbd device opens, as tcmu-runner loads its handler_rbd.so module.
 * emud is not linked against them: it starts without Ceph's ~30 shared libraries (their relocations
 * and constructors were two thirds of every emud start, ~1 s of a TCG guest per `emud ctl`), and runs
 * on a machine without librbd1, where only an rbd device fails, naming what is missing. */
#ifndef EMUD_CRBD_H
#define EMUD_CRBD_H

#include <stddef.h>
#include <rados/librados.h>
#include <rbd/librbd.h>

#define EMUD_RBD_FN(name) __typeof__(name) *_Nonnull name

/* The calls the rbd store makes, resolved from the loaded libraries. */
struct emud_rbd_api {
    EMUD_RBD_FN(rados_create);
    EMUD_RBD_FN(rados_conf_read_file);
    EMUD_RBD_FN(rados_conf_set);
    EMUD_RBD_FN(rados_connect);
    EMUD_RBD_FN(rados_ioctx_create);
    EMUD_RBD_FN(rados_ioctx_destroy);
    EMUD_RBD_FN(rados_shutdown);
    EMUD_RBD_FN(rbd_open);
    EMUD_RBD_FN(rbd_close);
    EMUD_RBD_FN(rbd_get_size);
    EMUD_RBD_FN(rbd_stat);
    EMUD_RBD_FN(rbd_resize);
    EMUD_RBD_FN(rbd_diff_iterate2);
    EMUD_RBD_FN(rbd_aio_create_completion);
    EMUD_RBD_FN(rbd_aio_get_return_value);
    EMUD_RBD_FN(rbd_aio_release);
    EMUD_RBD_FN(rbd_aio_readv);
    EMUD_RBD_FN(rbd_aio_writev);
    EMUD_RBD_FN(rbd_aio_flush);
    EMUD_RBD_FN(rbd_aio_discard);
    EMUD_RBD_FN(rbd_aio_write_zeroes);
    EMUD_RBD_FN(rbd_aio_writesame);
    EMUD_RBD_FN(rbd_aio_compare_and_write);
};

/* The libraries' file names (their Debian 12 sonames). */
#define EMUD_LIBRADOS "librados.so.2"
#define EMUD_LIBRBD "librbd.so.1"

/* Loads `rados` and `rbd` and resolves every call into `api`. Returns 0, or -1 with what failed (the
 * loader's message or the missing symbol) in `error`. */
int emud_rbd_load_libraries(const char *_Nonnull rados, const char *_Nonnull rbd,
                            struct emud_rbd_api *_Nonnull api, char *_Nonnull error, size_t error_size);

/* The process's table: loaded from EMUD_LIBRADOS and EMUD_LIBRBD on the first call (any thread; once),
 * never unloaded. NULL when loading failed; `error` then gets the message (every call). */
const struct emud_rbd_api *_Nullable emud_rbd(char *_Nullable error, size_t error_size);

#endif
