/* sd-bus vtables for the org.kernel.TCMUService1 handler objects (see CTCMUServiceBus.h). Decodes the
 * arguments, calls the Swift callbacks, encodes the reply; holds no state of its own. */
#include "CTCMUServiceBus.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct tcmu_service_bus_object {
    sd_bus_slot *slot;
    char *subtype;
    char *description;
    const tcmu_service_bus_callbacks *callbacks;
};

static int get_config_desc(sd_bus *bus, const char *path, const char *interface, const char *property,
                           sd_bus_message *reply, void *userdata, sd_bus_error *error) {
    (void)bus; (void)path; (void)interface; (void)property; (void)error;
    const struct tcmu_service_bus_object *object = userdata;
    return sd_bus_message_append(reply, "s", object->description);
}

static int check_config(sd_bus_message *m, void *userdata, sd_bus_error *error) {
    (void)error;
    const struct tcmu_service_bus_object *object = userdata;
    const char *config = NULL;
    int r = sd_bus_message_read(m, "s", &config);
    if (r < 0)
        return r;
    char *message = NULL;
    bool valid = object->callbacks->check_config(object->callbacks->context, object->subtype, config, &message);
    r = sd_bus_reply_method_return(m, "bs", valid ? 1 : 0, message ? message : (valid ? "success" : "unknown"));
    free(message);
    return r;
}

static int change_medium(sd_bus_message *m, void *userdata, sd_bus_error *error) {
    (void)error;
    const struct tcmu_service_bus_object *object = userdata;
    const char *name = NULL, *config = NULL;
    uint64_t size = 0;
    int r = sd_bus_message_read(m, "sts", &name, &size, &config);
    if (r < 0)
        return r;
    bool privileged = sd_bus_query_sender_privilege(m, -1) > 0;
    char *message = NULL;
    int32_t status = object->callbacks->change_medium(
        object->callbacks->context, object->subtype, privileged, name, size, config, &message);
    r = sd_bus_reply_method_return(m, "is", status, message ? message : (status == 0 ? "success" : "unknown"));
    free(message);
    return r;
}

/* Everyone may call (the bus policy lets them, as tcmu-runner's); ChangeMedium checks the caller itself so
 * that the refusal is its (i, s) answer, which targetcli prints, rather than a bus error. */
#define HANDLER_MEMBERS                                                                                   \
    SD_BUS_PROPERTY("ConfigDesc", "s", get_config_desc, 0, SD_BUS_VTABLE_PROPERTY_CONST),                 \
    SD_BUS_METHOD_WITH_NAMES("CheckConfig", "s", SD_BUS_PARAM(configstr), "bs",                          \
                             SD_BUS_PARAM(is_valid) SD_BUS_PARAM(message), check_config,                  \
                             SD_BUS_VTABLE_UNPRIVILEGED)

static const sd_bus_vtable handler_vtable[] = {
    SD_BUS_VTABLE_START(0),
    HANDLER_MEMBERS,
    SD_BUS_VTABLE_END,
};

static const sd_bus_vtable optical_handler_vtable[] = {
    SD_BUS_VTABLE_START(0),
    HANDLER_MEMBERS,
    SD_BUS_METHOD_WITH_NAMES("ChangeMedium", "sts", SD_BUS_PARAM(name) SD_BUS_PARAM(size) SD_BUS_PARAM(configstr),
                             "is", SD_BUS_PARAM(status) SD_BUS_PARAM(message), change_medium,
                             SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_VTABLE_END,
};

void tcmu_service_bus_object_free(tcmu_service_bus_object *object) {
    if (!object)
        return;
    sd_bus_slot_unref(object->slot);
    free(object->subtype);
    free(object->description);
    free(object);
}

tcmu_service_bus_object *tcmu_service_bus_add_object(
    sd_bus *bus, const char *path, const char *subtype, const char *description, bool with_change_medium,
    const tcmu_service_bus_callbacks *callbacks, int *error) {
    tcmu_service_bus_object *object = calloc(1, sizeof(*object));
    if (!object) {
        *error = -ENOMEM;
        return NULL;
    }
    object->subtype = strdup(subtype);
    object->description = strdup(description);
    object->callbacks = callbacks;
    if (!object->subtype || !object->description) {
        tcmu_service_bus_object_free(object);
        *error = -ENOMEM;
        return NULL;
    }
    int r = sd_bus_add_object_vtable(bus, &object->slot, path, "org.kernel.TCMUService1",
                                     with_change_medium ? optical_handler_vtable : handler_vtable, object);
    if (r < 0) {
        tcmu_service_bus_object_free(object);
        *error = r;
        return NULL;
    }
    return object;
}
