#ifndef EMUD_CSYSTEMD_SHIM_H
#define EMUD_CSYSTEMD_SHIM_H
/* libsystemd: sd-bus (the org.kernel.TCMUService1 D-Bus service) and sd-daemon (sd_notify). */
#include <systemd/sd-bus.h>
#include <systemd/sd-daemon.h>
#endif
