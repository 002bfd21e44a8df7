/* ocr: the words Tesseract reads on an office scan, cleaned of what the
 * scan adds (the recognition itself is tested end to end, t0190). */
#include "ocr.h"
#include "tap.h"

int main(void)
{
	static const struct {
		const char *raw, *want, *why;
	} cases[] = {
		{ "|18", "18", "a table rule before a quantity" },
		{ "BIO-1041|", "BIO-1041", "a rule after a reference" },
		{ "‘120", "120", "dust read as an opening quote" },
		{ "200.", "200", "a dot after a number" },
		{ "3,45,", "3,45", "a comma after a price" },
		{ "Réf.", "Réf.", "an abbreviation keeps its dot" },
		{ "l'huile", "l'huile", "an apostrophe inside a word stays" },
		{ "|", NULL, "a rule alone" },
		{ "—", NULL, "a dash alone" },
		{ "_~", NULL, "specks" },
		{ "&", "&", "'Bio & Sens' keeps its ampersand" },
		{ "[[6]]", "6", "brackets around a digit" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *got = ocr_word_clean(cases[i].raw);

		is_str(got, cases[i].want, "'%s': %s", cases[i].raw, cases[i].why);
	}
	return tap_done();
}
