/* Closes sockets at a steady rate, for the watch-sockets bench (two CPUs: this generator on
 * one, the watcher on the other).
 *   closes tcp RATE SECONDS: loopback connections opened, accepted and closed (two closes each,
 *                            RST on close so no TIME-WAIT piles up)
 *   closes udp RATE SECONDS: UDP sockets bound to 127.0.0.1 and closed (one close each)
 * RATE is closes per second, paced in 1 ms slots; prints the number of closes made.
 * Run inside the bench namespace. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: closes tcp|udp RATE SECONDS\n"); return 2; }
    int tcp = strcmp(argv[1], "tcp") == 0;
    double rate = atof(argv[2]), seconds = atof(argv[3]);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(tcp ? 7400 : 0)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int listener = -1, one = 1;
    if (tcp) {
        listener = socket(AF_INET, SOCK_STREAM, 0);
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(listener, (struct sockaddr *)&address, sizeof address) || listen(listener, 4096)) { perror("listen"); return 1; }
    }
    double start = now(), elapsed = 0;
    long made = 0;
    while ((elapsed = now() - start) < seconds) {
        long due = (long)(elapsed * rate);
        for (int batch = 0; made < due && batch < 4096; batch++) {
            if (tcp) {
                int client = socket(AF_INET, SOCK_STREAM, 0);
                struct linger abortive = {1, 0};
                setsockopt(client, SOL_SOCKET, SO_LINGER, &abortive, sizeof abortive);
                if (connect(client, (struct sockaddr *)&address, sizeof address)) { perror("connect"); return 1; }
                int server = accept(listener, NULL, NULL);
                if (server < 0) { perror("accept"); return 1; }
                close(client);
                close(server);
                made += 2;
            } else {
                int s = socket(AF_INET, SOCK_DGRAM, 0);
                if (bind(s, (struct sockaddr *)&address, sizeof address)) { perror("bind"); return 1; }
                close(s);
                made += 1;
            }
        }
        if (made >= due) usleep(1000);
    }
    if (listener >= 0) close(listener);
    printf("%ld\n", made);
    return 0;
}
