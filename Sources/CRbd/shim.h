// librados and librbd (Debian 12: librados-dev, librbd-dev; Ceph 16.2 "pacific").
#include <rados/librados.h>
#include <rbd/librbd.h>
