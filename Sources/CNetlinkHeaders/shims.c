#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <stdlib.h>
#include <errno.h>
#include <sys/ioctl.h>
#include <sys/vfs.h>
#include <net/if.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include "CNetlinkHeaders.h"

int netscope_setns_net(int fd) { return setns(fd, CLONE_NEWNET); }

int netscope_allowed_cpus(void) {
    cpu_set_t set;
    return sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 0;
}

unsigned long netscope_filesystem_type(int fd) {
    struct statfs fs;
    return fstatfs(fd, &fs) == 0 ? (unsigned long)fs.f_type : 0;
}

static volatile sig_atomic_t stop_requested = 0;

static void record_stop(int signal) { (void)signal; stop_requested = 1; }

void netscope_install_stop_handlers(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = record_stop;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGHUP, &action, NULL);
    // A parent may have started us with these blocked (threads of a test runner do).
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
}

int netscope_stop_requested(void) { return stop_requested; }

// The Swift decoders read these structs at fixed offsets; the sizes are uapi ABI.
_Static_assert(sizeof(struct nlmsghdr) == 16, "nlmsghdr");
_Static_assert(sizeof(struct nlattr) == 4, "nlattr");
_Static_assert(sizeof(struct nlmsgerr) == 20, "nlmsgerr");
_Static_assert(sizeof(struct ifinfomsg) == 16, "ifinfomsg");
_Static_assert(sizeof(struct ifaddrmsg) == 8, "ifaddrmsg");
_Static_assert(sizeof(struct ifa_cacheinfo) == 16, "ifa_cacheinfo");
_Static_assert(sizeof(struct rtmsg) == 12, "rtmsg");
_Static_assert(sizeof(struct ndmsg) == 12, "ndmsg");
_Static_assert(sizeof(struct fib_rule_hdr) == 12, "fib_rule_hdr");
_Static_assert(sizeof(struct rtnl_link_stats64) >= 184, "rtnl_link_stats64");
_Static_assert(sizeof(struct tcmsg) == 20, "tcmsg");

// ethtool's driver statistics (`ethtool -S`): the ioctl interface, because the netlink one
// (ETHTOOL_MSG_STATS_GET) carries only the standard groups, not the driver's own strings.
static int ethtool_ioctl(int fd, const char *ifname, void *data) {
    struct ifreq request;
    memset(&request, 0, sizeof request);
    strncpy(request.ifr_name, ifname, IFNAMSIZ - 1);
    request.ifr_data = data;
    return ioctl(fd, SIOCETHTOOL, &request) < 0 ? -errno : 0;
}

int netscope_ethtool_stats_count(int fd, const char *ifname) {
    struct {
        struct ethtool_sset_info info;
        uint32_t length;
    } request;
    memset(&request, 0, sizeof request);
    request.info.cmd = ETHTOOL_GSSET_INFO;
    request.info.sset_mask = 1ULL << ETH_SS_STATS;
    int status = ethtool_ioctl(fd, ifname, &request);
    if (status < 0) return status;
    return (request.info.sset_mask & (1ULL << ETH_SS_STATS)) ? (int)request.length : 0;
}

int netscope_ethtool_stats(int fd, const char *ifname, uint32_t count, char *names, uint64_t *values) {
    struct ethtool_gstrings *strings = calloc(1, sizeof *strings + (size_t)count * ETH_GSTRING_LEN);
    struct ethtool_stats *stats = calloc(1, sizeof *stats + (size_t)count * sizeof(uint64_t));
    int status = -ENOMEM;
    if (strings && stats) {
        strings->cmd = ETHTOOL_GSTRINGS;
        strings->string_set = ETH_SS_STATS;
        strings->len = count;
        stats->cmd = ETHTOOL_GSTATS;
        stats->n_stats = count;
        status = ethtool_ioctl(fd, ifname, strings);
        if (status == 0) status = ethtool_ioctl(fd, ifname, stats);
        if (status == 0) {
            // The driver may report fewer than asked if its set shrank in between.
            uint32_t n = strings->len < stats->n_stats ? strings->len : stats->n_stats;
            if (n > count) n = count;
            memcpy(names, strings->data, (size_t)n * ETH_GSTRING_LEN);
            memcpy(values, stats->data, (size_t)n * sizeof(uint64_t));
            status = (int)n;
        }
    }
    free(strings);
    free(stats);
    return status;
}

int netscope_interface_name(int fd, int index, char *name) {
    struct ifreq request;
    memset(&request, 0, sizeof request);
    request.ifr_ifindex = index;
    if (ioctl(fd, SIOCGIFNAME, &request) < 0) return -errno;
    memcpy(name, request.ifr_name, IFNAMSIZ);
    name[IFNAMSIZ - 1] = 0;
    return 0;
}
