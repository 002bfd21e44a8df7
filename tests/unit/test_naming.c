/* Unit tests of naming.c: slugs, document paths, and that no input can
 * name a path outside the archive. */
#include "store/naming.h"
#include "tap.h"

#include <string.h>

static char *path_for(const char *partner, const char *type, const char *number,
		      const char *ext, int clash)
{
	g_autoptr(GTimeZone) tz = g_time_zone_new_utc();
	g_autoptr(GDateTime) d = g_date_time_new(tz, 2026, 11, 20, 12, 0, 0);

	return naming_document_path(partner, type, number, d, ext, clash);
}

int main(void)
{
	static const struct {
		const char *in, *want;
	} slugs[] = {
		{ "Bio Périgord", "bio-perigord" },
		{ "Cocon des Sens", "cocon-des-sens" },
		{ "Les Comptoirs Bio d'Aquitaine", "les-comptoirs-bio-d-aquitaine" },
		{ "  AMANDINE  Épicerie Fine ", "amandine-epicerie-fine" },
		{ "Natur'Elles", "natur-elles" },
		{ "Œufs & Cœurs", "oeufs-coeurs" },
		{ "---", "inconnu" },
		{ "", "inconnu" },
		{ "../../etc/passwd", "etc-passwd" },
		{ "日本", "inconnu" },
		{ "a;b,c", "a-b-c" },
	};
	static const char *const hostile[] = {
		"../../etc", "/etc/passwd", "..", ".", "a/../../b", "\\..\\..", "%2e%2e%2f",
		"x\0y", "", "-rf", ".hidden", "CON", "a b", "\xff\xfe", "é/è",
	};
	char *s;

	for (size_t i = 0; i < G_N_ELEMENTS(slugs); i++) {
		s = naming_slug(slugs[i].in);
		is_str(s, slugs[i].want, "slug of '%s'", slugs[i].in);
		g_free(s);
	}
	s = naming_slug(NULL);
	is_str(s, "inconnu", "slug of NULL");
	g_free(s);
	{
		char long_name[200];

		memset(long_name, 'a', sizeof(long_name) - 1);
		long_name[sizeof(long_name) - 1] = '\0';
		s = naming_slug(long_name);
		ok(strlen(s) <= NAMING_SLUG_MAX, "a long name is cut to %d bytes", NAMING_SLUG_MAX);
		g_free(s);
	}

	s = path_for("Bio Périgord", "BC", "SO0001", "pdf", 1);
	is_str(s, "2026/11/bio-perigord_BC_SO0001_20-11-2026.pdf", "the contract's example");
	ok(naming_path_is_safe(s), "and it is a safe path");
	g_free(s);
	s = path_for(NULL, "EML", "M0042", "eml", 0);
	is_str(s, "2026/11/inconnu_EML_M0042_20-11-2026.eml", "unknown partner, raw message");
	g_free(s);
	s = path_for("Bio Périgord", "BC", "SO0001", "pdf", 2);
	is_str(s, "2026/11/bio-perigord_BC_SO0001_20-11-2026-2.pdf", "a clash gets -2");
	g_free(s);
	s = path_for("Bio Périgord", "FAC", "FA2026-0001", "pdf", 3);
	is_str(s, "2026/11/bio-perigord_FAC_FA2026-0001_20-11-2026-3.pdf", "invoice, clash 3");
	g_free(s);

	for (size_t i = 0; i < G_N_ELEMENTS(hostile); i++) {
		for (size_t j = 0; j < G_N_ELEMENTS(hostile); j++) {
			s = path_for(hostile[i], hostile[j], hostile[(i + j) % G_N_ELEMENTS(hostile)],
				     hostile[(i * 7 + j) % G_N_ELEMENTS(hostile)], (int)j);
			if (!naming_path_is_safe(s) || strstr(s, "..") != NULL || s[0] == '/') {
				ok(0, "hostile parts %zu/%zu give a safe path: %s", i, j, s);
				g_free(s);
				goto hostile_done;
			}
			g_free(s);
		}
	}
	ok(1, "every combination of hostile parts gives a safe path");
hostile_done:
	ok(!naming_path_is_safe("../x/y"), "'../x/y' is refused");
	ok(!naming_path_is_safe("/etc/passwd"), "an absolute path is refused");
	ok(!naming_path_is_safe("2026/11/../../../etc"), "a path with .. is refused");
	ok(!naming_path_is_safe("2026/11/.hidden"), "a dot file is refused");
	ok(!naming_path_is_safe("2026/11/a b.pdf"), "a space is refused");
	ok(!naming_path_is_safe("2026/x.pdf"), "a path of the wrong depth is refused");
	ok(!naming_path_is_safe(""), "an empty path is refused");
	return tap_done();
}
