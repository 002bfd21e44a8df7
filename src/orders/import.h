/* import.h: `import customers|products FILE.csv` (CONTRACT.md, "CSV
 * imports"): the file is checked as a whole first; if any row is bad,
 * nothing is imported and every bad row is told as FILE:LINE: field: why.
 * Then one transaction upserts every row; each change of a customer's
 * file goes to its history.
 */
#ifndef MO_IMPORT_H
#define MO_IMPORT_H

#include "store/db.h"

#include <glib.h>

typedef enum {
	IMPORT_CUSTOMERS,
	IMPORT_PRODUCTS,
} import_kind;

/* Problems told at most; the rest are counted. */
#define IMPORT_MAX_PROBLEMS 200

typedef struct {
	int created, updated;
	GString *problems;      /* "FILE:LINE: field: why" lines, when refused */
	GString *notes;         /* what was guessed of the file (separator ';',
				 * Latin-1), a line each, for the person who imports */
	int nproblems;          /* all of them, told or not */
} import_outcome;
void import_outcome_clear(import_outcome *out);

/* Imports path: UTF-8 (a BOM skipped) or Windows-1252, comma- or
 * semicolon-separated, its columns named as the contract does or in
 * French ("Désignation", "Code postal facturation").  -1 with MO_ERROR_REFUSED when rows are bad (nothing
 * imported; out->problems says which), or with the error. */
int import_csv(db *d, import_kind kind, const char *path, import_outcome *out, GError **error);

#endif
