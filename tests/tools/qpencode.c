/* qpencode: stdin to quoted-printable on stdout (RFC 2045), CRLF lines, for
 * tests that send parts in that encoding. */
#include <stdio.h>

int main(void)
{
	int c, col = 0;

	while ((c = getchar()) != EOF) {
		char buf[4];
		int n;

		if ((c >= 33 && c <= 126 && c != '=') || c == ' ')
			n = snprintf(buf, sizeof(buf), "%c", c);
		else
			n = snprintf(buf, sizeof(buf), "=%02X", c);
		if (col + n > 75) {
			fputs("=\r\n", stdout);
			col = 0;
		}
		fputs(buf, stdout);
		col += n;
	}
	fputs("\r\n", stdout);
	return 0;
}
