#ifndef EMUD_CTCMUSERVICEBUS_H
#define EMUD_CTCMUSERVICEBUS_H
/* The org.kernel.TCMUService1 objects as sd-bus vtables, which exist only as C macros.
 *
 * One object per handler at /org/kernel/TCMUService1/<subtype>, interface org.kernel.TCMUService1:
 *   property ConfigDesc s (constant)
 *   method   CheckConfig(s config) -> (b is_valid, s message)
 *   method   ChangeMedium(s name, t size, s config) -> (i status, s message)   (objects made with it only)
 * Arguments are decoded here and handed to the callbacks; the callbacks' answers become the reply.
 * sd-bus adds Introspectable, Properties and Peer; tcmu_service_bus_add_manager adds the ObjectManager. */
#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-bus.h>

/* Called on the thread that runs sd_bus_process. `message` receives a malloc'd string (or NULL) that
 * the glue frees after replying. */
typedef struct tcmu_service_bus_callbacks {
    void *context;
    /* CheckConfig on the object of `subtype`: returns whether `config` is valid. */
    bool (*check_config)(void *context, const char *subtype, const char *config, char **message);
    /* ChangeMedium on the object of `subtype`: returns 0 or a negative errno. `privileged` says whether
     * the caller is root or the daemon's own user (sd_bus_query_sender_privilege). */
    int32_t (*change_medium)(void *context, const char *subtype, bool privileged, const char *name,
                             uint64_t size, const char *config, char **message);
} tcmu_service_bus_callbacks;

/* One exported handler object; free with tcmu_service_bus_object_free after the bus is closed. */
typedef struct tcmu_service_bus_object tcmu_service_bus_object;

/* Exports the handler object at `path`. `callbacks` must outlive the object. Returns NULL with
 * *error set to a negative errno on failure. */
tcmu_service_bus_object *tcmu_service_bus_add_object(
    sd_bus *bus, const char *path, const char *subtype, const char *description, bool change_medium,
    const tcmu_service_bus_callbacks *callbacks, int *error);

void tcmu_service_bus_object_free(tcmu_service_bus_object *object);

#endif
