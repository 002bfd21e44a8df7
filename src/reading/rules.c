#include "reading/rules.h"

#include "lib/error.h"
#include "lib/fsutil.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define RULE_MAX_BYTES (256 * 1024)

struct rule_set {
	GPtrArray *rules;   /* rule* */
};

static const char *const field_names[] = { RULES_FIELDS };
static const char *const line_groups[] = { RULES_LINE_GROUPS };

void rule_free(rule *r)
{
	if (r == NULL)
		return;
	g_free(r->path);
	g_free(r->issuer);
	g_ptr_array_unref(r->keywords);
	g_ptr_array_unref(r->exclude_keywords);
	g_ptr_array_unref(r->fields);
	g_clear_pointer(&r->lines_start, g_regex_unref);
	g_clear_pointer(&r->lines_end, g_regex_unref);
	g_clear_pointer(&r->line, g_regex_unref);
	g_strfreev(r->date_formats);
	g_free(r->language);
	g_free(r);
}

static void rule_field_free(rule_field *f)
{
	g_free(f->name);
	g_clear_pointer(&f->regex, g_regex_unref);
	g_free(f->form_field);
	g_free(f);
}

void rule_set_free(rule_set *s)
{
	if (s == NULL)
		return;
	g_ptr_array_unref(s->rules);
	g_free(s);
}

/* ---------------------------------------------------------------- loading */

typedef struct {
	const char *path;
	yaml_document_t *doc;
	GString *problems;
} loader;

G_GNUC_PRINTF(3, 4)
static void problem(loader *ld, const yaml_node_t *node, const char *fmt, ...)
{
	va_list ap;

	if (ld->problems->len > 0)
		g_string_append_c(ld->problems, '\n');
	g_string_append_printf(ld->problems, "%s:%zu: ", ld->path,
			       node ? node->start_mark.line + 1 : (size_t)0);
	va_start(ap, fmt);
	g_string_append_vprintf(ld->problems, fmt, ap);
	va_end(ap);
}

static const char *scalar(const yaml_node_t *node)
{
	return node && node->type == YAML_SCALAR_NODE ? (const char *)node->data.scalar.value : NULL;
}

static yaml_node_t *node_at(loader *ld, int index)
{
	return yaml_document_get_node(ld->doc, index);
}

static GRegex *compile(loader *ld, const yaml_node_t *node, const char *what)
{
	const char *pattern = scalar(node);
	g_autoptr(GError) err = NULL;
	GRegex *re;

	if (pattern == NULL || pattern[0] == '\0') {
		problem(ld, node, "%s : une expression régulière est attendue", what);
		return NULL;
	}
	re = g_regex_new(pattern, G_REGEX_MULTILINE | G_REGEX_OPTIMIZE, 0, &err);
	if (re == NULL)
		problem(ld, node, "%s : expression régulière fausse : %s", what, err->message);
	return re;
}

/* A scalar or a sequence of scalars, each a regex. */
static void load_patterns(loader *ld, const yaml_node_t *node, const char *what, GPtrArray *out)
{
	if (node->type == YAML_SCALAR_NODE) {
		GRegex *re = compile(ld, node, what);

		if (re != NULL)
			g_ptr_array_add(out, re);
		return;
	}
	if (node->type != YAML_SEQUENCE_NODE) {
		problem(ld, node, "%s : une liste d'expressions régulières est attendue", what);
		return;
	}
	for (yaml_node_item_t *it = node->data.sequence.items.start;
	     it < node->data.sequence.items.top; it++) {
		GRegex *re = compile(ld, node_at(ld, *it), what);

		if (re != NULL)
			g_ptr_array_add(out, re);
	}
}

static char *join(const char *const *list, size_t n)
{
	GString *out = g_string_new(NULL);

	for (size_t i = 0; i < n; i++)
		g_string_append_printf(out, "%s%s", i ? ", " : "", list[i]);
	return g_string_free(out, FALSE);
}

static gboolean known(const char *name, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(name, list[i]) == 0)
			return TRUE;
	}
	return FALSE;
}

static void load_fields(loader *ld, const yaml_node_t *node, rule *r)
{
	if (node->type != YAML_MAPPING_NODE) {
		problem(ld, node, "fields : une table « champ: expression » est attendue");
		return;
	}
	for (yaml_node_pair_t *p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = node_at(ld, p->key), *v = node_at(ld, p->value);
		const char *name = scalar(k);
		g_autofree char *what = NULL;
		rule_field *f;

		if (name == NULL || !known(name, field_names, G_N_ELEMENTS(field_names))) {
			g_autofree char *list = join(field_names, G_N_ELEMENTS(field_names));

			problem(ld, k, "fields : champ inconnu « %s » (connus : %s)", name ? name : "?", list);
			continue;
		}
		what = g_strdup_printf("fields.%s", name);
		f = g_new0(rule_field, 1);
		f->name = g_strdup(name);
		if (v->type == YAML_MAPPING_NODE) {
			for (yaml_node_pair_t *q = v->data.mapping.pairs.start;
			     q < v->data.mapping.pairs.top; q++) {
				const char *key = scalar(node_at(ld, q->key));
				const char *value = scalar(node_at(ld, q->value));

				if (g_strcmp0(key, "form_field") == 0 && value != NULL && value[0] != '\0')
					f->form_field = g_strdup(value);
				else
					problem(ld, node_at(ld, q->key),
						"%s : seul « form_field: NOM » peut être donné ici", what);
			}
		} else {
			f->regex = compile(ld, v, what);
			if (f->regex != NULL && g_regex_get_capture_count(f->regex) != 1)
				problem(ld, v, "%s : l'expression régulière doit avoir exactement un "
					"groupe (elle en a %d)", what, g_regex_get_capture_count(f->regex));
		}
		if (f->regex == NULL && f->form_field == NULL) {
			rule_field_free(f);
			continue;
		}
		g_ptr_array_add(r->fields, f);
	}
}

/* libyaml's reason, in the words of the person who writes a rule (libyaml
 * speaks English only): the usual mistakes by name, the rest said as a
 * YAML mistake, libyaml's words after. */
static char *yaml_problem_fr(const char *problem)
{
	static const struct {
		const char *start, *fr;
	} known[] = {
		{ "mapping values are not allowed", "un « : » de trop, ou une valeur à mettre "
						    "entre guillemets" },
		{ "did not find expected key", "indentation fausse : une clé attendue" },
		{ "did not find expected ',' or ']'", "une liste [ … ] mal fermée" },
		{ "did not find expected ',' or '}'", "une table { … } mal fermée" },
		{ "did not find expected '-' indicator", "indentation fausse dans une liste « - »" },
		{ "found character that cannot start any token",
		  "un caractère qui ne peut pas commencer une valeur (une tabulation ? YAML "
		  "n'indente qu'avec des espaces ; une expression ? entre guillemets simples)" },
		{ "found a tab character", "une tabulation : YAML n'indente qu'avec des espaces" },
		{ "found unexpected end of stream", "fin du fichier inattendue (un guillemet non "
						    "fermé ?)" },
		{ "found unknown escape character", "un « \\ » inconnu entre guillemets doubles : "
						    "mettez l'expression entre guillemets simples" },
		{ "could not find expected ':'", "il manque un « : » après une clé" },
		{ "block sequence entries are not allowed", "un « - » à une place où il n'en faut "
							    "pas" },
	};

	if (problem == NULL)
		return g_strdup("ce n'est pas du YAML");
	for (size_t i = 0; i < G_N_ELEMENTS(known); i++) {
		if (g_str_has_prefix(problem, known[i].start))
			return g_strdup_printf("YAML : %s (%s)", known[i].fr, problem);
	}
	return g_strdup_printf("YAML : erreur de syntaxe (%s)", problem);
}

/* The named groups of a line regex, checked against RULES_LINE_GROUPS. */
static void check_line_groups(loader *ld, const yaml_node_t *node, const char *pattern)
{
	g_autoptr(GRegex) names = g_regex_new("\\(\\?P?<([A-Za-z_][A-Za-z0-9_]*)>", 0, 0, NULL);
	g_autoptr(GMatchInfo) m = NULL;
	gboolean has_qty = FALSE, has_item = FALSE;

	g_regex_match(names, pattern, 0, &m);
	for (; g_match_info_matches(m); g_match_info_next(m, NULL)) {
		g_autofree char *name = g_match_info_fetch(m, 1);

		if (!known(name, line_groups, G_N_ELEMENTS(line_groups))) {
			g_autofree char *list = join(line_groups, G_N_ELEMENTS(line_groups));

			problem(ld, node, "lines.line : groupe inconnu « %s » (connus : %s)", name, list);
		}
		has_qty |= strcmp(name, "qty") == 0;
		has_item |= strcmp(name, "ref") == 0 || strcmp(name, "description") == 0;
	}
	if (!has_qty || !has_item)
		problem(ld, node, "lines.line : il faut un groupe « qty » et un groupe « ref » ou « description »");
}

static void load_lines(loader *ld, const yaml_node_t *node, rule *r)
{
	const yaml_node_t *line_node = NULL;

	if (node->type != YAML_MAPPING_NODE) {
		problem(ld, node, "lines : une table avec start, end et line est attendue");
		return;
	}
	for (yaml_node_pair_t *p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = node_at(ld, p->key), *v = node_at(ld, p->value);
		const char *key = scalar(k);

		if (g_strcmp0(key, "start") == 0) {
			r->lines_start = compile(ld, v, "lines.start");
		} else if (g_strcmp0(key, "end") == 0) {
			r->lines_end = compile(ld, v, "lines.end");
		} else if (g_strcmp0(key, "line") == 0) {
			r->line = compile(ld, v, "lines.line");
			line_node = v;
			if (r->line != NULL)
				check_line_groups(ld, v, scalar(v));
		} else {
			problem(ld, k, "lines : clé inconnue « %s » (connues : start, end, line)",
				key ? key : "?");
		}
	}
	if (line_node == NULL)
		problem(ld, node, "lines : il manque « line »");
}

static char separator(loader *ld, const yaml_node_t *node, const char *what, const char *allowed)
{
	const char *v = scalar(node);

	if (v != NULL && g_strcmp0(v, "space") == 0)
		v = " ";
	if (v == NULL || strlen(v) != 1 || strchr(allowed, v[0]) == NULL) {
		problem(ld, node, "%s : un de « %s » est attendu", what, allowed);
		return 0;
	}
	return v[0];
}

static void load_options(loader *ld, const yaml_node_t *node, rule *r)
{
	if (node->type != YAML_MAPPING_NODE) {
		problem(ld, node, "options : une table est attendue");
		return;
	}
	for (yaml_node_pair_t *p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = node_at(ld, p->key), *v = node_at(ld, p->value);
		const char *key = scalar(k);

		if (g_strcmp0(key, "decimal_separator") == 0) {
			r->decimal_separator = separator(ld, v, "options.decimal_separator", ".,");
		} else if (g_strcmp0(key, "thousands_separator") == 0) {
			r->thousands_separator = separator(ld, v, "options.thousands_separator", " .,");
		} else if (g_strcmp0(key, "date_formats") == 0) {
			g_autoptr(GPtrArray) formats = g_ptr_array_new_with_free_func(g_free);

			if (scalar(v) != NULL) {
				g_ptr_array_add(formats, g_strdup(scalar(v)));
			} else if (v->type == YAML_SEQUENCE_NODE) {
				for (yaml_node_item_t *it = v->data.sequence.items.start;
				     it < v->data.sequence.items.top; it++) {
					const char *f = scalar(node_at(ld, *it));

					if (f == NULL)
						problem(ld, node_at(ld, *it),
							"options.date_formats : un format est attendu");
					else
						g_ptr_array_add(formats, g_strdup(f));
				}
			} else {
				problem(ld, v, "options.date_formats : une liste de formats est attendue");
			}
			g_ptr_array_add(formats, NULL);
			g_strfreev(r->date_formats);
			r->date_formats = (GStrv)g_ptr_array_steal(formats, NULL);
		} else if (g_strcmp0(key, "language") == 0) {
			const char *lang = scalar(v);

			if (lang == NULL || (strcmp(lang, "fr") != 0 && strcmp(lang, "en") != 0)) {
				problem(ld, v, "options.language : « fr » ou « en » est attendu");
			} else {
				g_free(r->language);
				r->language = g_strdup(lang);
			}
		} else {
			problem(ld, k, "options : clé inconnue « %s » (connues : decimal_separator, "
				"thousands_separator, date_formats, language)", key ? key : "?");
		}
	}
}

static void load_rule(loader *ld, const yaml_node_t *root, rule *r)
{
	gboolean has_keywords = FALSE;

	if (root == NULL || root->type != YAML_MAPPING_NODE) {
		problem(ld, root, "une règle est une table (issuer:, keywords:, fields:…)");
		return;
	}
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = node_at(ld, p->key), *v = node_at(ld, p->value);
		const char *key = scalar(k);

		if (g_strcmp0(key, "issuer") == 0) {
			if (scalar(v) == NULL)
				problem(ld, v, "issuer : un nom est attendu");
			else
				r->issuer = g_strdup(scalar(v));
		} else if (g_strcmp0(key, "keywords") == 0) {
			load_patterns(ld, v, "keywords", r->keywords);
			has_keywords = TRUE;
		} else if (g_strcmp0(key, "exclude_keywords") == 0) {
			load_patterns(ld, v, "exclude_keywords", r->exclude_keywords);
		} else if (g_strcmp0(key, "fields") == 0) {
			load_fields(ld, v, r);
		} else if (g_strcmp0(key, "lines") == 0) {
			load_lines(ld, v, r);
		} else if (g_strcmp0(key, "options") == 0) {
			load_options(ld, v, r);
		} else {
			problem(ld, k, "clé inconnue « %s » (connues : issuer, keywords, exclude_keywords, "
				"fields, lines, options)", key ? key : "?");
		}
	}
	if (r->issuer == NULL)
		problem(ld, root, "il manque issuer");
	if (!has_keywords || r->keywords->len == 0)
		problem(ld, root, "keywords : il en faut au moins un, sinon la règle irait à tous "
			"les documents");
}

static rule *rule_new(const char *path)
{
	rule *r = g_new0(rule, 1);

	r->path = g_strdup(path);
	r->keywords = g_ptr_array_new_with_free_func((GDestroyNotify)g_regex_unref);
	r->exclude_keywords = g_ptr_array_new_with_free_func((GDestroyNotify)g_regex_unref);
	r->fields = g_ptr_array_new_with_free_func((GDestroyNotify)rule_field_free);
	r->language = g_strdup("fr");
	return r;
}

rule *rules_load_file(const char *path, GError **error)
{
	g_autofree char *text = NULL;
	size_t len = 0;
	yaml_parser_t parser;
	yaml_document_t doc;
	g_autoptr(GString) problems = g_string_new(NULL);
	loader ld = { .path = path, .doc = &doc, .problems = problems };
	rule *r;

	if (fsutil_read_file(path, RULE_MAX_BYTES, &text, &len, error) < 0)
		return NULL;
	if (!g_utf8_validate(text, (gssize)len, NULL)) {
		g_set_error(error, MO_ERROR, MO_ERROR_INVALID, "%s : ce n'est pas du texte UTF-8", path);
		return NULL;
	}
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		g_autofree char *why = yaml_problem_fr(parser.problem);

		g_set_error(error, MO_ERROR, MO_ERROR_INVALID, "%s:%zu: %s", path,
			    parser.problem_mark.line + 1, why);
		yaml_parser_delete(&parser);
		return NULL;
	}
	r = rule_new(path);
	load_rule(&ld, yaml_document_get_root_node(&doc), r);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (problems->len > 0) {
		g_set_error_literal(error, MO_ERROR, MO_ERROR_INVALID, problems->str);
		rule_free(r);
		return NULL;
	}
	return r;
}

static gint by_name(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Appends dir's rules to s, in name order; what is wrong goes to
 * problems. */
static int load_into(rule_set *s, const char *dir, GString *problems, GError **error)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GDir) d = g_dir_open(dir, 0, &err);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	const char *name;

	if (d == NULL) {
		g_set_error(error, MO_ERROR, MO_ERROR_INVALID, "impossible de lire le dossier de règles %s : %s", dir,
			    err->message);
		return -1;
	}
	while ((name = g_dir_read_name(d)) != NULL) {
		if (g_str_has_suffix(name, ".yaml") || g_str_has_suffix(name, ".yml"))
			g_ptr_array_add(names, g_strdup(name));
	}
	g_ptr_array_sort(names, by_name);
	for (guint i = 0; i < names->len; i++) {
		g_autofree char *path = g_build_filename(dir, names->pdata[i], NULL);
		g_autoptr(GError) rule_err = NULL;
		rule *r = rules_load_file(path, &rule_err);

		if (r != NULL) {
			g_ptr_array_add(s->rules, r);
			continue;
		}
		if (problems->len > 0)
			g_string_append_c(problems, '\n');
		g_string_append(problems, rule_err->message);
	}
	return 0;
}

static rule_set *load_dirs(const char *const *dirs, gboolean skip_missing, GError **error)
{
	g_autoptr(GString) problems = g_string_new(NULL);
	g_autoptr(rule_set) s = g_new0(rule_set, 1);

	s->rules = g_ptr_array_new_with_free_func((GDestroyNotify)rule_free);
	for (guint i = 0; dirs[i] != NULL; i++) {
		if (skip_missing && !g_file_test(dirs[i], G_FILE_TEST_IS_DIR))
			continue;
		if (load_into(s, dirs[i], problems, error) < 0)
			return NULL;
	}
	if (problems->len > 0) {
		g_set_error_literal(error, MO_ERROR, MO_ERROR_INVALID, problems->str);
		return NULL;
	}
	return g_steal_pointer(&s);
}

rule_set *rules_load_dir(const char *dir, GError **error)
{
	const char *dirs[] = { dir, NULL };

	return load_dirs(dirs, FALSE, error);
}

#ifndef MO_RULES_SHIPPED_DIR
#define MO_RULES_SHIPPED_DIR "/usr/share/mailorder/rules"
#endif

GStrv rules_standard_dirs(const char *config_dir)
{
	g_autofree char *site = g_build_filename(config_dir, "rules", NULL);
	g_autofree char *site_real = realpath(site, NULL);
	g_autofree char *shipped_real = realpath(MO_RULES_SHIPPED_DIR, NULL);
	GStrvBuilder *b = g_strv_builder_new();
	GStrv out;

	g_strv_builder_add(b, site);
	if (site_real == NULL || shipped_real == NULL || strcmp(site_real, shipped_real) != 0)
		g_strv_builder_add(b, MO_RULES_SHIPPED_DIR);
	out = g_strv_builder_end(b);
	g_strv_builder_unref(b);
	return out;
}

rule_set *rules_load_standard(const char *config_dir, GError **error)
{
	g_auto(GStrv) dirs = rules_standard_dirs(config_dir);

	return load_dirs((const char *const *)dirs, TRUE, error);
}

guint rule_set_size(const rule_set *s)
{
	return s->rules->len;
}

const rule *rule_set_get(const rule_set *s, guint i)
{
	return i < s->rules->len ? s->rules->pdata[i] : NULL;
}

const rule *rules_match(const rule_set *s, const char *text)
{
	for (guint i = 0; i < s->rules->len; i++) {
		const rule *r = s->rules->pdata[i];
		gboolean fits = r->keywords->len > 0;

		for (guint k = 0; fits && k < r->keywords->len; k++)
			fits = g_regex_match(r->keywords->pdata[k], text, 0, NULL);
		for (guint k = 0; fits && k < r->exclude_keywords->len; k++)
			fits = !g_regex_match(r->exclude_keywords->pdata[k], text, 0, NULL);
		if (fits)
			return r;
	}
	return NULL;
}
