#include "text.h"

size_t text_space_len(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;

	if (u[0] == ' ' || u[0] == '\t')
		return 1;
	/* Each test stops at a NUL: no read past the end. */
	if (u[0] == 0xC2 && u[1] == 0xA0)
		return 2;
	if (u[0] == 0xE2 && u[1] == 0x80 && u[2] == 0xAF)
		return 3;
	return 0;
}
