/* validate.h: checks of the identifiers found in customer data.
 *
 * Each validate_* takes what a person typed (spaces allowed, any case) and
 * returns the normalised value (owned: spaces removed, upper-cased where the
 * identifier is), or NULL with *why_r set to a static French sentence that
 * names the rule that failed, for the clerk ("la clé de contrôle (Luhn) est
 * fausse").  They never accept an empty string.
 */
#ifndef MO_VALIDATE_H
#define MO_VALIDATE_H

#include <glib.h>

/* True when the ASCII digits of s pass the Luhn check. */
gboolean validate_luhn(const char *digits);

/* SIRET: 14 digits, Luhn (La Poste's SIRETs, SIREN 356000000, use the sum
 * of digits mod 5 instead, as INSEE does). */
char *validate_siret(const char *input, const char **why_r);
/* SIREN: 9 digits, Luhn. */
char *validate_siren(const char *input, const char **why_r);
/* French VAT number: "FR" + 2-digit key + SIREN, key = (12 + 3 * (SIREN
 * mod 97)) mod 97.  Other EU countries: 2 letters + 2..13 alphanumerics,
 * format only. */
char *validate_vat(const char *input, const char **why_r);
/* The SIREN inside a French VAT number matches the first 9 digits of a
 * SIRET (both already normalised). */
gboolean validate_vat_matches_siret(const char *vat, const char *siret);
/* IBAN: country + 2 check digits + up to 30 alphanumerics, mod 97 == 1;
 * French IBANs are 27 characters. */
char *validate_iban(const char *input, const char **why_r);
/* BIC: 8 or 11 characters, 4 letters (bank), 2 letters (country),
 * 2 alphanumerics, optional 3 alphanumerics. */
char *validate_bic(const char *input, const char **why_r);
/* A customer's accounting account: "411" (the chart of accounts' class
 * for customers) and 1 to 12 letters or digits, written in capitals
 * ("411AMA00"). */
#define VALIDATE_ACCOUNT_MAX 15
char *validate_customer_account(const char *input, const char **why_r);
/* E-mail address: a practical subset of RFC 5322 addr-spec (dot-atom local
 * part, domain with a dot, no spaces); lower-cases the domain. */
char *validate_email(const char *input, const char **why_r);
/* Phone number: a French one (10 digits from 0, or +33 and 9 digits;
 * spaces, dots, dashes allowed) written "05 56 12 34 56"; another
 * country's ("+" and 8 to 15 digits) kept as "+" and its digits; an
 * extension after "poste", "p.", "ext" or "x" kept as " poste 12". */
char *validate_phone(const char *input, const char **why_r);
/* French postcode: 5 digits (01000..98999, Corsica 20xxx included). */
char *validate_postcode_fr(const char *input, const char **why_r);

#endif
