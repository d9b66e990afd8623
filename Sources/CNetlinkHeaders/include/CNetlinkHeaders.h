#ifndef NETSCOPE_CNETLINKHEADERS_H
#define NETSCOPE_CNETLINKHEADERS_H

// Kernel uapi headers, taken from the build host's linux-libc-dev. Every struct the Swift
// code reads is mirrored by size in shims.c with _Static_assert, so an unexpected header
// fails the build rather than the decoding. linux/if.h is deliberately not included: it
// clashes with glibc's <net/if.h>, which Foundation pulls in.
#include <stdint.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/if_link.h>
#include <linux/if_addr.h>
#include <linux/if_arp.h>
#include <linux/neighbour.h>
#include <linux/fib_rules.h>
#include <linux/nexthop.h>
#include <linux/sock_diag.h>
#include <linux/inet_diag.h>
#include <linux/unix_diag.h>
#include <linux/packet_diag.h>
#include <linux/netlink_diag.h>
// linux/tcp.h is left out: it clashes with glibc's <netinet/tcp.h> in SwiftGlibc.

// Prefixed shims for function-like macros and values Swift does not import.

/// NLMSG_ALIGNTO / NLA_ALIGNTO: 4-byte alignment of messages and attributes.
static const uint32_t NETSCOPE_NLMSG_ALIGNTO = NLMSG_ALIGNTO;
/// NLMSG_HDRLEN: aligned size of struct nlmsghdr.
static const uint32_t NETSCOPE_NLMSG_HDRLEN = NLMSG_HDRLEN;
/// NLA_HDRLEN: aligned size of struct nlattr.
static const uint32_t NETSCOPE_NLA_HDRLEN = NLA_HDRLEN;
/// The libmnl/kernel dump size: the kernel never sends a dump datagram larger than 32 KiB
/// (netlink_dump caps max_recvmsg_len at SKB_WITH_OVERHEAD(32768)).
static const uint32_t NETSCOPE_MNL_SOCKET_DUMP_SIZE = 32768;

/// setns(fd, CLONE_NEWNET): glibc declares setns only under _GNU_SOURCE, which Swift's
/// Glibc module does not set.
int netscope_setns_net(int fd);

/// CPU_COUNT of sched_getaffinity(0): how many CPUs this thread may run on (0 on failure).
/// Both need _GNU_SOURCE, and CPU_COUNT is a macro, so Swift cannot call them itself.
int netscope_allowed_cpus(void);

/// fstatfs(fd)'s f_type, or 0 when fstatfs fails (the namespace files' check for NSFS_MAGIC).
unsigned long netscope_filesystem_type(int fd);

/// Installs SIGINT/SIGTERM handlers (without SA_RESTART, so a blocking poll returns EINTR)
/// that only record the request; long-running commands poll `netscope_stop_requested`.
/// The flag is a sig_atomic_t because nothing else is safe to write from a handler.
void netscope_install_stop_handlers(void);
int netscope_stop_requested(void);

/// `ethtool -S` over SIOCETHTOOL on `fd` (any AF_INET socket of the namespace): the number
/// of driver statistics of `ifname` (ETHTOOL_GSSET_INFO), or -errno (-EOPNOTSUPP: none).
int netscope_ethtool_stats_count(int fd, const char *ifname);
/// ETHTOOL_GSTRINGS and ETHTOOL_GSTATS: `count` names of 32 bytes (ETH_GSTRING_LEN) into
/// `names` and their values into `values`; returns how many were filled, or -errno.
int netscope_ethtool_stats(int fd, const char *ifname, uint32_t count, char *names, uint64_t *values);
/// SIOCGIFNAME on `fd` (any socket of the namespace): the name of interface `index` into
/// `name` (IFNAMSIZ bytes), 0 or -errno. if_indextoname opens a socket per call.
int netscope_interface_name(int fd, int index, char *name);

#endif
