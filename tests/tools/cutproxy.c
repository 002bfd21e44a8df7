/* cutproxy: a TCP proxy on loopback that cuts connections, to test what a
 * dropped connection does to the poller.
 *
 *   cutproxy PORT_FILE TARGET_PORT CUT_BYTES fin|rst [CUTS]
 *
 * Listens on a free loopback port (written to PORT_FILE), forwards each
 * connection to 127.0.0.1:TARGET_PORT.  The first CUTS connections
 * (default 1) are cut once CUT_BYTES bytes have gone from the server to the
 * client: closed with FIN, or reset (RST).  Later connections pass through.
 * One connection at a time; runs until killed. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int connect_target(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		perror("cutproxy: connect");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static void hard_close(int fd, int reset)
{
	if (reset) {
		struct linger l = { .l_onoff = 1, .l_linger = 0 };

		setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
	}
	close(fd);
}

/* Forwards until either side closes, or until cut bytes went downstream
 * (cut < 0: never). */
static void relay(int client, int server, long cut, int reset)
{
	char buf[16384];
	long down = 0;
	struct pollfd pf[2] = { { .fd = client, .events = POLLIN }, { .fd = server, .events = POLLIN } };

	for (;;) {
		if (poll(pf, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pf[0].revents) {
			ssize_t n = read(client, buf, sizeof buf);

			if (n <= 0 || write(server, buf, (size_t)n) != n)
				break;
		}
		if (pf[1].revents) {
			size_t want = sizeof buf;
			ssize_t n;

			if (cut >= 0 && (long)want > cut - down)
				want = (size_t)(cut - down);
			n = want > 0 ? read(server, buf, want) : 0;
			if (n <= 0 || write(client, buf, (size_t)n) != n)
				break;
			down += n;
			if (cut >= 0 && down >= cut)
				break;
		}
	}
	hard_close(client, reset && cut >= 0);
	close(server);
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof sa;
	int lfd, one = 1, cuts;
	FILE *f;

	if (argc < 5) {
		fprintf(stderr, "usage: cutproxy PORT_FILE TARGET_PORT CUT_BYTES fin|rst [CUTS]\n");
		return 2;
	}
	cuts = argc > 5 ? atoi(argv[5]) : 1;
	signal(SIGPIPE, SIG_IGN);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(lfd, 8) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&sa, &len) < 0) {
		perror("cutproxy: listen");
		return 1;
	}
	f = fopen(argv[1], "w");
	if (f == NULL) {
		perror(argv[1]);
		return 1;
	}
	fprintf(f, "%d\n", ntohs(sa.sin_port));
	fclose(f);
	for (;;) {
		int client = accept(lfd, NULL, NULL), server;

		if (client < 0)
			continue;
		server = connect_target(atoi(argv[2]));
		if (server < 0) {
			close(client);
			continue;
		}
		relay(client, server, cuts > 0 ? atol(argv[3]) : -1, strcmp(argv[4], "rst") == 0);
		if (cuts > 0)
			cuts--;
	}
}
