#ifndef NETSCOPE_CMNL_SHIM_H
#define NETSCOPE_CMNL_SHIM_H
#include <libmnl/libmnl.h>
#endif
