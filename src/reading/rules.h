/* rules.h: per-layout reading rules, one YAML file per customer layout in
 * rules/, in the template format of invoice2data:
 *
 *   issuer: Bio Périgord
 *   keywords: [BIO PÉRIGORD, BON DE COMMANDE]   # all must match (regexes)
 *   exclude_keywords: []                        # none may match
 *   fields:
 *     customer_order_ref: 'Commande N°\s*(\S+)' # one capture group
 *     order_date: {form_field: date_commande}   # or a form field's value
 *   lines:
 *     start: 'Réf\.\s+Désignation'
 *     end: 'Total HT'
 *     line: '^(?P<ref>\S+)\s+(?P<description>.+?)\s+(?P<qty>[\d,]+)$'
 *   options:
 *     decimal_separator: ','
 *     thousands_separator: ' '
 *     date_formats: ['%d/%m/%Y']
 *     language: fr
 *
 * A rule is checked whole when loaded: an unknown key, a regex that does
 * not compile, a field regex without exactly one group, a line regex with
 * an unknown group name: each is reported as FILE:LINE: why, all at once.
 * Rules are read-only once loaded and may be shared between threads.
 */
#ifndef MO_RULES_H
#define MO_RULES_H

#include <glib.h>

/* The fields a rule may read, and the named groups of a line regex. */
#define RULES_FIELDS \
	"customer_order_ref", "order_date", "delivery_date", "customer_name", "siret", "vat", \
	"total_ht", "total_vat", "total_ttc", "contact", "phone", "billing_address", \
	"billing_postcode", "billing_city", "delivery_address", "delivery_postcode", "delivery_city"
#define RULES_LINE_GROUPS "ref", "description", "qty", "unit_price", "line_total"

typedef struct {
	char *name;           /* one of RULES_FIELDS */
	GRegex *regex;        /* one capture group; NULL when form_field is set */
	char *form_field;     /* a form field's fully qualified name */
} rule_field;

typedef struct {
	char *path;           /* the file it came from */
	char *issuer;
	GPtrArray *keywords;          /* GRegex* */
	GPtrArray *exclude_keywords;  /* GRegex* */
	GPtrArray *fields;            /* rule_field* */
	GRegex *lines_start, *lines_end, *line;   /* NULL when the rule reads no lines */
	char decimal_separator;       /* '.' or ','; 0 to guess */
	char thousands_separator;     /* ' ', '.', ',' or 0 to guess */
	GStrv date_formats;           /* strftime-like, may be NULL */
	char *language;               /* "fr" unless said */
} rule;

typedef struct rule_set rule_set;

/* Loads every *.yaml of dir, in name order.  On any problem in any file,
 * NULL with every problem, one per line. */
rule_set *rules_load_dir(const char *dir, GError **error);
/* The rules a program with its config in config_dir reads: those of
 * config_dir/rules (the site's own, tried first), then those shipped with
 * mailorder (a folder set at build time), each when it exists. */
rule_set *rules_load_standard(const char *config_dir, GError **error);
/* The folders above, existing or not, the same folder once (owned). */
GStrv rules_standard_dirs(const char *config_dir);
/* One file (used by the above and by `rules check`). */
rule *rules_load_file(const char *path, GError **error);
void rule_free(rule *r);
void rule_set_free(rule_set *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(rule, rule_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(rule_set, rule_set_free)

guint rule_set_size(const rule_set *s);
const rule *rule_set_get(const rule_set *s, guint i);

/* The first rule whose keywords all match text and no exclude_keyword
 * does; NULL when none fits (then the generic reader takes over). */
const rule *rules_match(const rule_set *s, const char *text);

#endif
