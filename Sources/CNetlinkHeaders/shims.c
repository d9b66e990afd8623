#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <string.h>
#include "CNetlinkHeaders.h"

int netscope_setns_net(int fd) { return setns(fd, CLONE_NEWNET); }

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
