/* Loading librados and librbd at run time (see include/CRbd.h). */
#include "CRbd.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

static int resolve(void *library, const char *library_name, const char *symbol, void **slot,
                   char *error, size_t error_size) {
    *slot = dlsym(library, symbol);
    if (*slot != NULL) return 0;
    snprintf(error, error_size, "%s has no %s", library_name, symbol);
    return -1;
}

int emud_rbd_load_libraries(const char *rados, const char *rbd, struct emud_rbd_api *api,
                            char *error, size_t error_size) {
    void *rados_library = dlopen(rados, RTLD_NOW | RTLD_LOCAL);
    if (rados_library == NULL) {
        snprintf(error, error_size, "cannot load %s: %s", rados, dlerror());
        return -1;
    }
    void *rbd_library = dlopen(rbd, RTLD_NOW | RTLD_LOCAL);
    if (rbd_library == NULL) {
        snprintf(error, error_size, "cannot load %s: %s", rbd, dlerror());
        dlclose(rados_library);
        return -1;
    }
#define FROM(library, name) \
    if (resolve(library, library == rados_library ? rados : rbd, #name, (void **)&api->name, error, error_size)) goto missing;
    FROM(rados_library, rados_create)
    FROM(rados_library, rados_conf_read_file)
    FROM(rados_library, rados_conf_set)
    FROM(rados_library, rados_connect)
    FROM(rados_library, rados_ioctx_create)
    FROM(rados_library, rados_ioctx_destroy)
    FROM(rados_library, rados_shutdown)
    FROM(rbd_library, rbd_open)
    FROM(rbd_library, rbd_close)
    FROM(rbd_library, rbd_get_size)
    FROM(rbd_library, rbd_stat)
    FROM(rbd_library, rbd_resize)
    FROM(rbd_library, rbd_diff_iterate2)
    FROM(rbd_library, rbd_aio_create_completion)
    FROM(rbd_library, rbd_aio_get_return_value)
    FROM(rbd_library, rbd_aio_release)
    FROM(rbd_library, rbd_aio_readv)
    FROM(rbd_library, rbd_aio_writev)
    FROM(rbd_library, rbd_aio_flush)
    FROM(rbd_library, rbd_aio_discard)
    FROM(rbd_library, rbd_aio_write_zeroes)
    FROM(rbd_library, rbd_aio_writesame)
    FROM(rbd_library, rbd_aio_compare_and_write)
#undef FROM
    return 0;
missing:
    dlclose(rbd_library);
    dlclose(rados_library);
    return -1;
}

static struct emud_rbd_api process_api;
static int process_status = -1;
static char process_error[512];
static pthread_once_t process_once = PTHREAD_ONCE_INIT;

static void load_process_api(void) {
    process_status = emud_rbd_load_libraries(EMUD_LIBRADOS, EMUD_LIBRBD, &process_api,
                                             process_error, sizeof process_error);
}

const struct emud_rbd_api *emud_rbd(char *error, size_t error_size) {
    pthread_once(&process_once, load_process_api);
    if (process_status == 0) return &process_api;
    if (error != NULL && error_size > 0) snprintf(error, error_size, "%s", process_error);
    return NULL;
}
