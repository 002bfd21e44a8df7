/* render.h: the documents we send a customer (order confirmation, delivery
 * note, invoice), rendered to PDF with libharu from their templates.
 *
 * A template (templates/<kind>.yaml, see templates/README.md) holds the
 * wording, the legal mentions, the columns, the logo's place and the
 * colours of one kind of document; a clerk edits it without rebuilding.
 * The orders layer gives the values, already written as a French reader
 * reads them ("1 249,00 €", "20/11/2026"); this module only lays them out:
 * A4, fonts with every French character and the euro sign embedded
 * (DejaVu), tables over as many pages as they need with their header
 * repeated, page numbers "1/3".  Rendering the same values twice gives the
 * same PDF, byte for byte (no date, no random identifier in it).
 *
 * The caller owns what it passes; what is returned is owned.  Errors are
 * French, one line each, naming the template's file and line:
 *   templates/invoice.yaml:12: clé inconnue « colour » (…)
 */
#ifndef MO_RENDER_H
#define MO_RENDER_H

#include <glib.h>

/* ---------------------------------------------------------------- values */

/* What a document says: named values ("company.name", "invoice.number")
 * and tables of rows ("lines", "vat", "differences"), each row a set of
 * named cells.  The names are listed in templates/README.md. */
typedef struct doc_values doc_values;

doc_values *doc_values_new(void);
void doc_values_free(doc_values *v);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(doc_values, doc_values_free)

/* Sets name to text (copied, made valid UTF-8, cut at 16 KB); NULL or ""
 * is an empty value: a template block whose `when` names it is left out.
 * A value never set that a template shows is an error of doc_render. */
void doc_values_set(doc_values *v, const char *name, const char *text);
void doc_values_setf(doc_values *v, const char *name, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
/* Adds a row to table (created at its first row): cells are name, value
 * pairs, NULL-terminated ("ref", "BIO-1001", "qty", "12", NULL). */
void doc_values_add_row(doc_values *v, const char *table, const char *const *cells);

/* ---------------------------------------------------------------- templates */

typedef struct doc_templates doc_templates;

/* Reads every template (*.yaml) of the folders in dirs (NULL-terminated;
 * a file of an earlier folder replaces the one of the same name in a later
 * one: the site's templates/ before the shipped ones; a folder that does
 * not exist is skipped, none existing is an error), and the fonts they
 * name, checking each: NULL with the reasons (MO_ERROR, MO_ERROR_INVALID),
 * one line "FILE:LINE: why" each.  Logos are values: read at rendering
 * (and kept while their file does not change).
 *
 * The templates keep a few libharu documents with their fonts loaded, for
 * the next renderings (about 1 MB each, at most 8 idle); doc_render may be
 * called from several threads at once with the same templates. */
doc_templates *doc_templates_load(const char *const *dirs, GError **error);
void doc_templates_free(doc_templates *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(doc_templates, doc_templates_free)
/* Whether a template of that kind ("invoice") was loaded. */
gboolean doc_templates_have(const doc_templates *t, const char *kind);

/* ---------------------------------------------------------------- rendering */

typedef enum {
	DOC_ORIGINAL,
	DOC_COPY,                /* stamped "COPIE" on every page: the clerk's paper copy */
} doc_stamp;

/* The PDF of document kind ("confirmation", "delivery_note", "invoice")
 * from values: 0 and *pdf_r, or -1 with why (a value the template needs
 * and the values lack, a logo that cannot be read...), "FILE:LINE: why"
 * naming the template's block.  A character no font draws is replaced
 * (its base letter, or "?"); see templates/README.md. */
int doc_render(const doc_templates *t, const char *kind, const doc_values *v, doc_stamp stamp,
	       GBytes **pdf_r, GError **error);

#endif
