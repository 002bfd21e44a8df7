/* rules: loading good and bad rule files, and choosing the rule that fits. */
#include "reading/rules.h"
#include "tap.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

static char *dir;

static char *write_rule(const char *name, const char *text)
{
	char *path = g_build_filename(dir, name, NULL);

	g_file_set_contents(path, text, -1, NULL);
	return path;
}

/* The error loading text, or NULL when it loaded. */
static char *load_error(const char *text)
{
	g_autofree char *path = write_rule("t.yaml", text);
	g_autoptr(GError) err = NULL;
	g_autoptr(rule) r = rules_load_file(path, &err);

	return err ? g_strdup(err->message) : NULL;
}

static const char good[] =
	"issuer: Bio Périgord\n"
	"keywords:\n"
	"  - BIO PÉRIGORD\n"
	"  - 'BON DE COMMANDE'\n"
	"exclude_keywords: AVOIR\n"
	"fields:\n"
	"  customer_order_ref: 'Commande N°\\s*(\\S+)'\n"
	"  order_date: 'Date\\s*:\\s*(\\d{2}/\\d{2}/\\d{4})'\n"
	"  customer_name: {form_field: client}\n"
	"lines:\n"
	"  start: 'Réf\\.\\s+Désignation'\n"
	"  end: '^Total HT'\n"
	"  line: '^(?P<ref>BIO-\\d+)\\s+(?P<description>.+?)\\s+(?P<qty>\\d+)\\s+(?P<unit_price>[\\d,]+)$'\n"
	"options:\n"
	"  decimal_separator: ','\n"
	"  thousands_separator: space\n"
	"  date_formats: ['%d/%m/%Y']\n"
	"  language: fr\n";

static void test_good(void)
{
	g_autofree char *path = write_rule("good.yaml", good);
	g_autoptr(GError) err = NULL;
	g_autoptr(rule) r = rules_load_file(path, &err);
	const rule_field *f;

	ok(r != NULL, "a good rule loads");
	if (r == NULL) {
		tap_diag("%s", err->message);
		return;
	}
	is_str(r->issuer, "Bio Périgord", "its issuer");
	is_int(r->keywords->len, 2, "two keywords");
	is_int(r->exclude_keywords->len, 1, "one exclude_keyword, given as a string");
	is_int(r->fields->len, 3, "three fields");
	f = r->fields->pdata[2];
	is_str(f->form_field, "client", "a field read from a form field");
	ok(r->line != NULL && r->lines_start != NULL && r->lines_end != NULL, "the lines' regexes");
	ok(r->decimal_separator == ',' && r->thousands_separator == ' ', "separators ('space' is ' ')");
	ok(r->date_formats && g_strv_length(r->date_formats) == 1, "date formats");
	{
		g_autoptr(GMatchInfo) m = NULL;
		g_autofree char *ref = NULL;

		ok(g_regex_match(((rule_field *)r->fields->pdata[0])->regex,
				 "Commande N° BP-2026-118\n", 0, &m), "a field regex matches");
		ref = g_match_info_fetch(m, 1);
		is_str(ref, "BP-2026-118", "and captures the value");
	}
}

static void test_bad(void)
{
	static const struct {
		const char *text, *want, *why;
	} cases[] = {
		{ "issuer: X\nkeywords: [A]\nfeilds:\n  order_date: '(x)'\n",
		  "t.yaml:3: clé inconnue « feilds »", "a misspelt top-level key" },
		{ "issuer: X\nkeywords: [A]\nfields:\n  order_date: 'Date (\\d+'\n",
		  "t.yaml:4: fields.order_date : expression régulière fausse", "a regex that does not compile" },
		{ "issuer: X\nkeywords: [A]\nfields:\n  order_date: '(\\d+)/(\\d+)'\n",
		  "t.yaml:4: fields.order_date : l'expression régulière doit avoir exactement un groupe",
		  "a field regex with two groups" },
		{ "issuer: X\nkeywords: [A]\nfields:\n  colour: '(x)'\n",
		  "t.yaml:4: fields : champ inconnu « colour »", "an unknown field" },
		{ "issuer: X\nkeywords: [A]\nlines:\n  line: '(?P<ref>\\S+) (?P<qte>\\d+)'\n",
		  "t.yaml:4: lines.line : groupe inconnu « qte »", "a line group misspelt" },
		{ "issuer: X\nkeywords: [A]\nlines:\n  start: a\n",
		  "t.yaml:4: lines : il manque « line »", "lines without line" },
		{ "issuer: X\nfields:\n  order_date: '(x)'\n", "t.yaml:1: keywords : il en faut au moins un",
		  "a rule without keywords" },
		{ "issuer: X\nkeywords: [A]\noptions:\n  decimal_separator: ';'\n",
		  "t.yaml:4: options.decimal_separator : un de « ., » est attendu", "a bad separator" },
		{ "- just\n- a list\n", "t.yaml:1: une règle est une table", "not a mapping" },
		{ "issuer: X\nkeywords: [A\n", "t.yaml:", "YAML that does not parse" },
		{ "issuer: X\nkeywords: [A]\nfields:\n\torder_date: '(x)'\n",
		  "t.yaml:4: YAML : un caractère qui ne peut pas commencer une valeur (une tabulation ?",
		  "a tab in YAML, said in French" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *err = load_error(cases[i].text);
		g_autofree char *want = g_strdup_printf("%s/%s", dir, cases[i].want);

		ok(err != NULL && g_str_has_prefix(err, want), "%s is refused, with file and line",
		   cases[i].why);
		if (err == NULL || !g_str_has_prefix(err, want))
			tap_diag("got: %s", err ? err : "(loaded)");
	}
	{
		g_autofree char *err = load_error("issuer: X\nkeywords: [A]\nfeilds: 1\nlines: 2\n");
		g_auto(GStrv) lines = err ? g_strsplit(err, "\n", -1) : NULL;

		is_int(lines ? g_strv_length(lines) : 0, 2, "every problem of a file at once");
	}
}

static void test_dir_and_match(void)
{
	g_autofree char *sub = g_build_filename(dir, "set", NULL);
	g_autoptr(GError) err = NULL;
	g_autoptr(rule_set) s = NULL;

	g_mkdir(sub, 0700);
	g_free(dir);
	dir = g_strdup(sub);
	g_free(write_rule("a-perigord.yaml", good));
	g_free(write_rule("b-cocon.yaml", "issuer: Cocon des Sens\nkeywords: [Cocon des Sens]\n"));
	g_free(write_rule("notes.txt", "not a rule"));
	s = rules_load_dir(dir, &err);
	ok(s != NULL && rule_set_size(s) == 2, "a folder of rules loads its .yaml files");
	if (s == NULL)
		return;
	is_str(rules_match(s, "BIO PÉRIGORD\nBON DE COMMANDE\nCommande N° 1")->issuer, "Bio Périgord",
	       "the rule whose keywords all match is chosen");
	ok(rules_match(s, "BIO PÉRIGORD\nBON DE COMMANDE\nAVOIR n° 3") == NULL,
	   "an exclude_keyword rules it out");
	is_str(rules_match(s, "Cocon des Sens, bon de commande")->issuer, "Cocon des Sens",
	       "another layout, another rule");
	ok(rules_match(s, "Un fournisseur inconnu") == NULL, "no rule: the generic reader's turn");

	g_free(write_rule("c-broken.yaml", "issuer: Z\nkeywords: [Z]\nfields: {order_date: '(('}\n"));
	g_free(write_rule("d-broken.yaml", "issuer: Z\nkeywords: [Z]\nwhat: 1\n"));
	{
		g_autoptr(GError) err2 = NULL;
		g_autoptr(rule_set) s2 = rules_load_dir(dir, &err2);

		ok(s2 == NULL && err2 && strstr(err2->message, "c-broken.yaml:3:") &&
			   strstr(err2->message, "d-broken.yaml:3:"),
		   "a bad rule refuses the folder, naming every bad file and line");
	}
}

int main(void)
{
	dir = g_dir_make_tmp("test-rules-XXXXXX", NULL);
	test_good();
	test_bad();
	test_dir_and_match();
	return tap_done();
}
