#ifndef EMUD_CNETLINK_SHIM_H
#define EMUD_CNETLINK_SHIM_H
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/mngt.h>
#endif
