/* The floor for `netscope sockets -tan`: the same sock_diag dumps (TCP, IPv4 and IPv6, all
 * states) through libmnl with one reused 32 KiB buffer, counting messages, printing nothing.
 * Usage: rawdump NETNS-NAME */
#define _GNU_SOURCE
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int count_cb(const struct nlmsghdr *nlh, void *data) { (void)nlh; ++*(long *)data; return MNL_CB_OK; }

int main(int argc, char **argv) {
    if (argc > 1) {
        char path[256];
        snprintf(path, sizeof path, "/run/netns/%s", argv[1]);
        int fd = open(path, O_RDONLY);
        if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) { perror(path); return 1; }
        close(fd);
    }
    struct mnl_socket *nl = mnl_socket_open(NETLINK_SOCK_DIAG);
    if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) { perror("netlink"); return 1; }
    unsigned int portid = mnl_socket_get_portid(nl);
    static char buf[32768];
    long messages = 0;
    int families[] = {AF_INET, AF_INET6};
    for (int f = 0; f < 2; f++) {
        struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
        nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
        nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
        unsigned int seq = nlh->nlmsg_seq = (unsigned int)time(NULL) + f;
        struct inet_diag_req_v2 *req = mnl_nlmsg_put_extra_header(nlh, sizeof *req);
        memset(req, 0, sizeof *req);
        req->sdiag_family = families[f];
        req->sdiag_protocol = IPPROTO_TCP;
        req->idiag_states = ~0U;
        if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) { perror("send"); return 1; }
        int ret;
        while ((ret = mnl_socket_recvfrom(nl, buf, sizeof buf)) > 0) {
            ret = mnl_cb_run(buf, ret, seq, portid, count_cb, &messages);
            if (ret <= MNL_CB_STOP) break;
        }
        if (ret < 0) { perror("dump"); return 1; }
    }
    fprintf(stderr, "%ld sockets\n", messages);
    mnl_socket_close(nl);
    return 0;
}
