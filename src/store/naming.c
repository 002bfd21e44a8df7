#include "store/naming.h"

#include <string.h>

static gboolean is_lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

char *naming_slug(const char *name)
{
	g_autofree char *valid = NULL;
	g_autofree char *ascii = NULL;
	GString *out;
	gboolean dash = FALSE;

	if (name == NULL)
		return g_strdup(NAMING_UNKNOWN_PARTNER);
	valid = g_utf8_make_valid(name, -1);
	/* Transliterates é -> e, œ -> oe; what it cannot becomes '?', a separator. */
	ascii = g_str_to_ascii(valid, "C");
	out = g_string_sized_new(strlen(ascii));
	for (const char *p = ascii; *p != '\0'; p++) {
		char c = g_ascii_tolower(*p);

		if (is_lower_alnum(c)) {
			if (dash && out->len > 0)
				g_string_append_c(out, '-');
			dash = FALSE;
			if (out->len >= NAMING_SLUG_MAX)
				break;
			g_string_append_c(out, c);
		} else {
			dash = TRUE;
		}
	}
	while (out->len > 0 && out->str[out->len - 1] == '-')
		g_string_truncate(out, out->len - 1);
	if (out->len == 0)
		g_string_assign(out, NAMING_UNKNOWN_PARTNER);
	return g_string_free(out, FALSE);
}

/* Keeps [A-Za-z0-9-] (upper-cased or lower-cased as asked), drops the rest. */
static char *safe_part(const char *s, gboolean upper)
{
	GString *out = g_string_new(NULL);

	for (const char *p = s ? s : ""; *p != '\0' && out->len < NAMING_PART_MAX; p++) {
		char c = upper ? g_ascii_toupper(*p) : g_ascii_tolower(*p);

		if (g_ascii_isalnum(c) || (c == '-' && out->len > 0))
			g_string_append_c(out, c);
	}
	if (out->len == 0)
		g_string_assign(out, upper ? "X" : "bin");
	return g_string_free(out, FALSE);
}

char *naming_document_path(const char *partner_name, const char *type, const char *number,
			   GDateTime *date, const char *ext, int clash)
{
	g_autofree char *partner = naming_slug(partner_name);
	g_autofree char *t = safe_part(type, TRUE);
	g_autofree char *n = safe_part(number, TRUE);
	g_autofree char *e = safe_part(ext, FALSE);
	g_autofree char *suffix = clash >= 2 ? g_strdup_printf("-%d", clash) : g_strdup("");
	int y = g_date_time_get_year(date);

	/* A date outside 4 digits would break the yyyy/mm layout. */
	if (y < 1000 || y > 9999)
		y = 1970;
	return g_strdup_printf("%04d/%02d/%s_%s_%s_%02d-%02d-%04d%s.%s", y,
			       g_date_time_get_month(date), partner, t, n,
			       g_date_time_get_day_of_month(date), g_date_time_get_month(date), y,
			       suffix, e);
}

char *naming_with_partner(const char *rel, const char *partner_name, int clash)
{
	/* yyyy/mm/<partner>_<TYPE>_<number>_<dd-mm-yyyy>[-N].<ext> */
	static const char pattern[] = "^([0-9]{4}/[0-9]{2})/[a-z0-9-]+_([A-Z0-9-]+_[A-Z0-9-]+_"
				      "[0-9]{2}-[0-9]{2}-[0-9]{4})(?:-[0-9]+)?\\.([a-z0-9]+)$";
	g_autoptr(GRegex) re = g_regex_new(pattern, 0, 0, NULL);
	g_autoptr(GMatchInfo) m = NULL;
	g_autofree char *dir = NULL;
	g_autofree char *middle = NULL;
	g_autofree char *ext = NULL;
	g_autofree char *partner = NULL;
	g_autofree char *suffix = NULL;

	if (rel == NULL || !naming_path_is_safe(rel) || !g_regex_match(re, rel, 0, &m))
		return NULL;
	dir = g_match_info_fetch(m, 1);
	middle = g_match_info_fetch(m, 2);
	ext = g_match_info_fetch(m, 3);
	partner = naming_slug(partner_name);
	suffix = clash >= 2 ? g_strdup_printf("-%d", clash) : g_strdup("");
	return g_strdup_printf("%s/%s_%s%s.%s", dir, partner, middle, suffix, ext);
}

gboolean naming_path_is_safe(const char *rel)
{
	g_auto(GStrv) parts = NULL;

	if (rel == NULL || rel[0] == '\0' || rel[0] == '/')
		return FALSE;
	parts = g_strsplit(rel, "/", -1);
	if (g_strv_length(parts) != 3)
		return FALSE;
	for (int i = 0; i < 3; i++) {
		const char *p = parts[i];

		if (p[0] == '\0' || p[0] == '.' || p[0] == '-')
			return FALSE;
		for (; *p != '\0'; p++) {
			if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_' && *p != '.')
				return FALSE;
		}
	}
	return strstr(rel, "..") == NULL;
}
