#include "lib/dates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;   /* lower case, no accents */
	int month;
} months[] = {
	{ "janvier", 1 }, { "janv", 1 }, { "jan", 1 },
	{ "fevrier", 2 }, { "fevr", 2 }, { "fev", 2 },
	{ "mars", 3 }, { "mar", 3 },
	{ "avril", 4 }, { "avr", 4 },
	{ "mai", 5 },
	{ "juin", 6 },
	{ "juillet", 7 }, { "juil", 7 },
	{ "aout", 8 },
	{ "septembre", 9 }, { "sept", 9 }, { "sep", 9 },
	{ "octobre", 10 }, { "oct", 10 },
	{ "novembre", 11 }, { "nov", 11 },
	{ "decembre", 12 }, { "dec", 12 },
	/* English, for a rule's date_formats (%B) and the odd English PO */
	{ "january", 1 }, { "february", 2 }, { "feb", 2 }, { "march", 3 }, { "april", 4 },
	{ "apr", 4 }, { "may", 5 }, { "june", 6 }, { "jun", 6 }, { "july", 7 }, { "jul", 7 },
	{ "august", 8 }, { "aug", 8 }, { "september", 9 }, { "october", 10 }, { "november", 11 },
	{ "december", 12 },
	/* German, Spanish, Italian: a neighbour's PO */
	{ "januar", 1 }, { "februar", 2 }, { "marz", 3 }, { "maerz", 3 }, { "juni", 6 },
	{ "juli", 7 }, { "oktober", 10 }, { "dezember", 12 },
	{ "enero", 1 }, { "febrero", 2 }, { "marzo", 3 }, { "abril", 4 }, { "mayo", 5 },
	{ "junio", 6 }, { "julio", 7 }, { "agosto", 8 }, { "septiembre", 9 }, { "octubre", 10 },
	{ "noviembre", 11 }, { "diciembre", 12 },
	{ "gennaio", 1 }, { "febbraio", 2 }, { "aprile", 4 }, { "maggio", 5 }, { "giugno", 6 },
	{ "luglio", 7 }, { "settembre", 9 }, { "ottobre", 10 }, { "novembre", 11 },
	{ "dicembre", 12 },
};

static int month_from_name(const char *word)
{
	/* "Février" and "fevrier" alike. */
	g_autofree char *ascii = g_str_to_ascii(word, "C");
	g_autofree char *lower = g_ascii_strdown(ascii, -1);

	for (size_t i = 0; i < G_N_ELEMENTS(months); i++) {
		if (strcmp(lower, months[i].name) == 0)
			return months[i].month;
	}
	return 0;
}

static char *iso_if_valid(int day, int month, int year)
{
	if (year < 100)
		year += 2000;
	if (day < 1 || day > 31 || month < 1 || month > 12 || year < 1900 || year > 2999 ||
	    !g_date_valid_dmy((GDateDay)day, (GDateMonth)month, (GDateYear)year))
		return NULL;
	return g_strdup_printf("%04d-%02d-%02d", year, month, day);
}

char *date_find(const char *text)
{
	static GRegex *numeric, *iso, *named, *month_first;
	static gsize ready;
	g_autoptr(GMatchInfo) m = NULL;

	if (g_once_init_enter(&ready)) {
		/* Not inside a longer number: "120/11/2026" is no date. */
		numeric = g_regex_new("(?<![0-9])([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4}|[0-9]{2})"
				      "(?![0-9])", G_REGEX_OPTIMIZE, 0, NULL);
		iso = g_regex_new("(?<![0-9])([0-9]{4})-([0-9]{2})-([0-9]{2})(?![0-9])",
				  G_REGEX_OPTIMIZE, 0, NULL);
		/* "20 novembre 2026", "1er déc. 2026", "20. November 2026", "20 de
		 * noviembre de 2026" */
		named = g_regex_new("(?<![0-9])([0-9]{1,2})(?:er|\\.)?\\s+(?:de\\s+)?([[:alpha:]]+)\\.?"
				    "\\s+(?:de\\s+)?([0-9]{4})(?![0-9])",
				    G_REGEX_OPTIMIZE | G_REGEX_CASELESS, 0, NULL);
		/* "November 20, 2026" */
		month_first = g_regex_new("\\b([[:alpha:]]+)\\.?\\s+([0-9]{1,2}),?\\s+([0-9]{4})(?![0-9])",
					  G_REGEX_OPTIMIZE | G_REGEX_CASELESS, 0, NULL);
		g_once_init_leave(&ready, 1);
	}
	if (text == NULL)
		return NULL;
	/* The earliest date in the text wins, whatever its form. */
	{
		char *best = NULL;
		gint best_at = G_MAXINT;
		GRegex *const forms[] = { iso, numeric, named, month_first };

		for (size_t f = 0; f < G_N_ELEMENTS(forms); f++) {
			g_clear_pointer(&m, g_match_info_free);
			g_regex_match(forms[f], text, 0, &m);
			for (; g_match_info_matches(m); g_match_info_next(m, NULL)) {
				g_autofree char *a = g_match_info_fetch(m, 1);
				g_autofree char *b = g_match_info_fetch(m, 2);
				g_autofree char *c = g_match_info_fetch(m, 3);
				gint start = 0;
				char *found;

				g_match_info_fetch_pos(m, 0, &start, NULL);
				if (start >= best_at)
					break;
				if (forms[f] == iso)
					found = iso_if_valid(atoi(c), atoi(b), atoi(a));
				else if (forms[f] == numeric)
					found = iso_if_valid(atoi(a), atoi(b), atoi(c));
				else if (forms[f] == named)
					found = iso_if_valid(atoi(a), month_from_name(b), atoi(c));
				else
					found = iso_if_valid(atoi(b), month_from_name(a), atoi(c));
				if (found != NULL) {
					g_free(best);
					best = found;
					best_at = start;
					break;
				}
			}
		}
		return best;
	}
}

/* Reads 1 to max digits at *p; more digits after them: it does not fit
 * ("2026" is no %y). */
static gboolean read_digits(const char **p, int max, int *v_r)
{
	int n = 0, v = 0;

	while (n < max && g_ascii_isdigit(**p)) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	*v_r = v;
	return n > 0 && !g_ascii_isdigit(**p);
}

char *date_parse_format(const char *text, const char *format)
{
	const char *p = text, *f = format;
	int day = 0, month = 0, year = -1;

	if (text == NULL || format == NULL)
		return NULL;
	while (*p == ' ')
		p++;
	for (; *f; f++) {
		if (*f == ' ') {
			if (*p != ' ')
				return NULL;
			while (*p == ' ')
				p++;
			continue;
		}
		if (*f != '%') {
			if (*p++ != *f)
				return NULL;
			continue;
		}
		switch (*++f) {
		case 'd':
		case 'e':
			if (!read_digits(&p, 2, &day))
				return NULL;
			if (g_str_has_prefix(p, "er"))   /* "1er" */
				p += 2;
			break;
		case 'm':
			if (!read_digits(&p, 2, &month))
				return NULL;
			break;
		case 'Y':
			if (!read_digits(&p, 4, &year) || year < 1000)
				return NULL;
			break;
		case 'y':
			if (!read_digits(&p, 2, &year))
				return NULL;
			break;
		case 'B':
		case 'b': {
			const char *start = p;
			g_autofree char *word = NULL;

			while (*p && (g_ascii_isalpha(*p) || (guchar)*p >= 0x80))
				p = g_utf8_next_char(p);
			word = g_strndup(start, (gsize)(p - start));
			month = month_from_name(word);
			if (month == 0)
				return NULL;
			if (*p == '.')
				p++;
			break;
		}
		case '%':
			if (*p++ != '%')
				return NULL;
			break;
		default:
			return NULL;
		}
	}
	if (year < 0)
		return NULL;
	return iso_if_valid(day, month, year);
}

char *date_parse_exact(const char *text)
{
	g_autofree char *t = NULL;
	int d = 0, m = 0, y = 0;
	char sep1 = 0, sep2 = 0, end = 0;

	if (text == NULL)
		return NULL;
	t = g_strstrip(g_strdup(text));
	if (sscanf(t, "%4d-%2d-%2d%c", &y, &m, &d, &end) == 3 && strlen(t) == 10) {
		/* ISO */
	} else if (sscanf(t, "%2d%c%2d%c%4d%c", &d, &sep1, &m, &sep2, &y, &end) == 5 &&
		   sep1 == sep2 && (sep1 == '/' || sep1 == '-' || sep1 == '.') && y >= 1000 &&
		   strlen(t) >= 8 && strlen(t) <= 10 && g_ascii_isdigit(t[strlen(t) - 1])) {
		/* day first */
	} else {
		return NULL;
	}
	if (y < 1900 || y > 2999 || !g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y))
		return NULL;
	return g_strdup_printf("%04d-%02d-%02d", y, m, d);
}

char *date_fr(const char *iso)
{
	int y, m, d;

	if (iso == NULL)
		return g_strdup("");
	if (sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) == 3)
		return g_strdup_printf("%02d/%02d/%04d", d, m, y);
	return g_strdup(iso);
}
