/* validate.c: SIRET, SIREN, VAT, IBAN, BIC, e-mail and postcode checks
 * (see validate.h).  The "why" sentences are shown to the clerk as they
 * are, after the faulty value. */
#include "lib/validate.h"

#include "lib/text.h"

#include <string.h>

#define LA_POSTE_SIREN "356000000"
/* La Poste's head office is the one SIRET of its SIREN that follows Luhn. */
#define LA_POSTE_HEAD_OFFICE "35600000000048"

/* Member states' VAT prefixes other than FR (Greece is EL; XI is Northern
 * Ireland, still in the EU VAT system for goods). */
static const char *const eu_vat_prefixes[] = {
	"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "HR", "HU",
	"IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
	"XI",
};

/* input without its spaces, ASCII letters upper-cased; other bytes are
 * kept for the caller to refuse. */
static char *squeeze_upper(const char *input)
{
	GString *out = g_string_new(NULL);

	for (const char *p = input != NULL ? input : ""; *p != '\0';) {
		size_t n = text_space_len(p);

		if (n > 0) {
			p += n;
			continue;
		}
		g_string_append_c(out, g_ascii_toupper(*p));
		p++;
	}
	return g_string_free(out, FALSE);
}

static gboolean all_digits(const char *s)
{
	for (; *s != '\0'; s++) {
		if (!g_ascii_isdigit(*s))
			return FALSE;
	}
	return TRUE;
}

static gboolean all_alnum(const char *s)
{
	for (; *s != '\0'; s++) {
		if (!g_ascii_isalnum(*s))
			return FALSE;
	}
	return TRUE;
}

gboolean validate_luhn(const char *digits)
{
	size_t n = digits != NULL ? strlen(digits) : 0;
	int sum = 0;

	if (n == 0)
		return FALSE;
	for (size_t i = 0; i < n; i++) {
		char c = digits[n - 1 - i];
		int d;

		if (!g_ascii_isdigit(c))
			return FALSE;
		d = c - '0';
		if (i % 2 == 1) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	return sum % 10 == 0;
}

static int digit_sum(const char *digits)
{
	int sum = 0;

	for (; *digits != '\0'; digits++)
		sum += *digits - '0';
	return sum;
}

char *validate_siret(const char *input, const char **why_r)
{
	g_autofree char *s = squeeze_upper(input);

	if (s[0] == '\0') {
		*why_r = "le SIRET est vide";
		return NULL;
	}
	if (!all_digits(s)) {
		*why_r = "un SIRET ne contient que des chiffres";
		return NULL;
	}
	if (strlen(s) != 14) {
		*why_r = "un SIRET a 14 chiffres";
		return NULL;
	}
	if (strncmp(s, LA_POSTE_SIREN, 9) == 0 && strcmp(s, LA_POSTE_HEAD_OFFICE) != 0) {
		/* too many post offices for Luhn's key: INSEE uses this one */
		if (digit_sum(s) % 5 != 0) {
			*why_r = "la clé de contrôle du SIRET de La Poste est fausse (somme des "
				 "chiffres multiple de 5)";
			return NULL;
		}
		return g_steal_pointer(&s);
	}
	if (!validate_luhn(s)) {
		*why_r = "la clé de contrôle (Luhn) du SIRET est fausse";
		return NULL;
	}
	return g_steal_pointer(&s);
}

char *validate_siren(const char *input, const char **why_r)
{
	g_autofree char *s = squeeze_upper(input);

	if (s[0] == '\0') {
		*why_r = "le SIREN est vide";
		return NULL;
	}
	if (!all_digits(s)) {
		*why_r = "un SIREN ne contient que des chiffres";
		return NULL;
	}
	if (strlen(s) != 9) {
		*why_r = "un SIREN a 9 chiffres";
		return NULL;
	}
	if (!validate_luhn(s)) {
		*why_r = "la clé de contrôle (Luhn) du SIREN est fausse";
		return NULL;
	}
	return g_steal_pointer(&s);
}

/* (12 + 3 * (SIREN mod 97)) mod 97; the SIREN is 9 ASCII digits. */
static int french_vat_key(const char *siren)
{
	int rem = 0;

	for (int i = 0; i < 9; i++)
		rem = (rem * 10 + (siren[i] - '0')) % 97;
	return (12 + 3 * rem) % 97;
}

static gboolean vat_fr_ok(const char *s, const char **why_r)
{
	const char *siren;

	if (strlen(s) != 13 || !all_digits(s + 2)) {
		*why_r = "un numéro de TVA français s'écrit FR, 2 chiffres de clé et les 9 "
			 "chiffres du SIREN";
		return FALSE;
	}
	siren = s + 4;
	if (!validate_luhn(siren)) {
		*why_r = "le SIREN contenu dans le numéro de TVA est faux (clé de Luhn)";
		return FALSE;
	}
	if ((s[2] - '0') * 10 + (s[3] - '0') != french_vat_key(siren)) {
		*why_r = "la clé TVA ne correspond pas au SIREN";
		return FALSE;
	}
	return TRUE;
}

char *validate_vat(const char *input, const char **why_r)
{
	g_autofree char *s = squeeze_upper(input);
	size_t n = strlen(s);
	gboolean known = FALSE;

	if (n == 0) {
		*why_r = "le numéro de TVA est vide";
		return NULL;
	}
	if (!all_alnum(s)) {
		*why_r = "un numéro de TVA ne contient que des lettres et des chiffres";
		return NULL;
	}
	if (n < 2 || !g_ascii_isalpha(s[0]) || !g_ascii_isalpha(s[1])) {
		*why_r = "un numéro de TVA commence par les 2 lettres du pays (FR)";
		return NULL;
	}
	if (strncmp(s, "FR", 2) == 0) {
		return vat_fr_ok(s, why_r) ? g_steal_pointer(&s) : NULL;
	}
	for (size_t i = 0; i < G_N_ELEMENTS(eu_vat_prefixes); i++)
		known = known || strncmp(s, eu_vat_prefixes[i], 2) == 0;
	if (!known) {
		*why_r = "le numéro de TVA ne commence pas par le code d'un pays de l'Union "
			 "européenne";
		return NULL;
	}
	if (n < 4 || n > 15) {
		*why_r = "un numéro de TVA européen a 2 lettres de pays puis 2 à 13 lettres ou "
			 "chiffres";
		return NULL;
	}
	return g_steal_pointer(&s);
}

gboolean validate_vat_matches_siret(const char *vat, const char *siret)
{
	if (vat == NULL || siret == NULL)
		return FALSE;
	if (strncmp(vat, "FR", 2) != 0)
		return TRUE;  /* a foreign VAT number says nothing about a SIRET */
	return strlen(vat) == 13 && strlen(siret) == 14 && strncmp(vat + 4, siret, 9) == 0;
}

/* ISO 13616: the first four characters moved to the end, letters read as
 * 10..35, the whole number mod 97; the remainder is carried digit by digit
 * since the number has up to 68 digits. */
static int iban_mod97(const char *iban)
{
	size_t n = strlen(iban);
	int rem = 0;

	for (size_t k = 0; k < n; k++) {
		char c = iban[(k + 4) % n];

		if (g_ascii_isdigit(c))
			rem = (rem * 10 + (c - '0')) % 97;
		else
			rem = (rem * 100 + (c - 'A' + 10)) % 97;
	}
	return rem;
}

char *validate_iban(const char *input, const char **why_r)
{
	g_autofree char *s = squeeze_upper(input);
	size_t n = strlen(s);

	if (n == 0) {
		*why_r = "l'IBAN est vide";
		return NULL;
	}
	if (!all_alnum(s)) {
		*why_r = "un IBAN ne contient que des lettres et des chiffres";
		return NULL;
	}
	if (n < 15 || n > 34 || !g_ascii_isalpha(s[0]) || !g_ascii_isalpha(s[1]) ||
	    !g_ascii_isdigit(s[2]) || !g_ascii_isdigit(s[3])) {
		*why_r = "un IBAN s'écrit avec les 2 lettres du pays, 2 chiffres de clé, puis "
			 "11 à 30 lettres ou chiffres";
		return NULL;
	}
	if (strncmp(s, "FR", 2) == 0 && n != 27) {
		*why_r = "un IBAN français a 27 caractères";
		return NULL;
	}
	if (iban_mod97(s) != 1) {
		*why_r = "la clé de contrôle de l'IBAN est fausse (modulo 97)";
		return NULL;
	}
	return g_steal_pointer(&s);
}

char *validate_bic(const char *input, const char **why_r)
{
	g_autofree char *s = squeeze_upper(input);
	size_t n = strlen(s);

	if (n == 0) {
		*why_r = "le BIC est vide";
		return NULL;
	}
	if (!all_alnum(s)) {
		*why_r = "un BIC ne contient que des lettres et des chiffres";
		return NULL;
	}
	if (n != 8 && n != 11) {
		*why_r = "un BIC a 8 ou 11 caractères";
		return NULL;
	}
	for (int i = 0; i < 6; i++) {
		if (!g_ascii_isalpha(s[i])) {
			*why_r = "un BIC commence par 4 lettres (banque) et 2 lettres (pays)";
			return NULL;
		}
	}
	return g_steal_pointer(&s);
}

char *validate_customer_account(const char *input, const char **why_r)
{
	g_autofree char *s = squeeze_upper(input);
	size_t n = strlen(s);

	if (!g_str_has_prefix(s, "411")) {
		*why_r = "un compte client commence par 411 (plan comptable : clients)";
		return NULL;
	}
	if (n < 4 || n > VALIDATE_ACCOUNT_MAX || !all_alnum(s)) {
		*why_r = "un compte client est 411 suivi de 1 à 12 lettres ou chiffres (411AMA00)";
		return NULL;
	}
	return g_steal_pointer(&s);
}

/* One domain label: 1 to 63 letters, digits or inner hyphens. */
static gboolean domain_label_ok(const char *label, size_t len)
{
	if (len == 0 || len > 63 || label[0] == '-' || label[len - 1] == '-')
		return FALSE;
	for (size_t i = 0; i < len; i++) {
		if (!g_ascii_isalnum(label[i]) && label[i] != '-')
			return FALSE;
	}
	return TRUE;
}

char *validate_email(const char *input, const char **why_r)
{
	static const char atext[] = "!#$%&'*+-/=?^_`{|}~";
	g_autofree char *s = g_strstrip(g_strdup(input != NULL ? input : ""));
	g_autofree char *domain = NULL;
	const char *at, *label, *last_label = NULL;
	size_t local_len;

	if (s[0] == '\0') {
		*why_r = "l'adresse e-mail est vide";
		return NULL;
	}
	for (const char *p = s; *p != '\0'; p++) {
		if (g_ascii_isspace(*p)) {
			*why_r = "une adresse e-mail ne contient pas d'espace";
			return NULL;
		}
	}
	at = strchr(s, '@');
	if (at == NULL || strchr(at + 1, '@') != NULL || at == s || at[1] == '\0') {
		*why_r = "une adresse e-mail s'écrit nom@domaine.fr, avec un seul @";
		return NULL;
	}
	local_len = (size_t)(at - s);
	if (local_len > 64 || strlen(s) > 254) {
		*why_r = "l'adresse e-mail est trop longue";
		return NULL;
	}
	for (const char *p = s; p < at; p++) {
		if (!g_ascii_isalnum(*p) && *p != '.' && strchr(atext, *p) == NULL) {
			*why_r = "un caractère interdit avant le @ de l'adresse e-mail";
			return NULL;
		}
	}
	if (s[0] == '.' || at[-1] == '.' || g_strstr_len(s, (gssize)local_len, "..") != NULL) {
		*why_r = "un point mal placé avant le @ de l'adresse e-mail";
		return NULL;
	}
	domain = g_ascii_strdown(at + 1, -1);
	if (strchr(domain, '.') == NULL) {
		*why_r = "le domaine de l'adresse e-mail n'a pas de point (domaine.fr)";
		return NULL;
	}
	for (label = domain;; label = strchr(label, '.') + 1) {
		const char *dot = strchr(label, '.');
		size_t len = dot != NULL ? (size_t)(dot - label) : strlen(label);

		if (!domain_label_ok(label, len)) {
			*why_r = "le domaine de l'adresse e-mail est mal formé";
			return NULL;
		}
		if (dot == NULL) {
			last_label = label;
			break;
		}
	}
	/* a top-level domain has letters: "nom@192.168.1.1" is a typo */
	if (strlen(last_label) < 2 || all_digits(last_label)) {
		*why_r = "le domaine de l'adresse e-mail se termine mal (.fr, .com...)";
		return NULL;
	}
	return g_strdup_printf("%.*s@%s", (int)local_len, s, domain);
}

char *validate_postcode_fr(const char *input, const char **why_r)
{
	g_autofree char *s = squeeze_upper(input);

	if (s[0] == '\0') {
		*why_r = "le code postal est vide";
		return NULL;
	}
	if (strlen(s) != 5 || !all_digits(s)) {
		*why_r = "un code postal français a 5 chiffres";
		return NULL;
	}
	if (strcmp(s, "01000") < 0 || strcmp(s, "98999") > 0) {
		*why_r = "un code postal français va de 01000 à 98999";
		return NULL;
	}
	return g_steal_pointer(&s);
}

char *validate_phone(const char *input, const char **why_r)
{
	g_autoptr(GString) digits = g_string_new(NULL);
	gboolean plus = FALSE;
	g_autofree char *number = NULL;
	g_autofree char *extension = NULL;
	const char *p;

	/* "05 56 12 34 56 poste 12": the extension apart */
	{
		g_autofree char *lower = g_ascii_strdown(input, -1);
		static const char *const marks[] = { " poste ", " p. ", " ext. ", " ext ", " x " };

		for (size_t i = 0; i < G_N_ELEMENTS(marks) && extension == NULL; i++) {
			const char *at = strstr(lower, marks[i]);

			if (at == NULL)
				continue;
			extension = g_strstrip(g_strdup(input + (at - lower) + strlen(marks[i])));
			number = g_strndup(input, (gsize)(at - lower));
			for (const char *e = extension; *e; e++) {
				if (!g_ascii_isdigit(*e)) {
					*why_r = "un numéro de poste ne s'écrit qu'avec des chiffres";
					return NULL;
				}
			}
			if (extension[0] == '\0' || strlen(extension) > 6) {
				*why_r = "un numéro de poste compte de 1 à 6 chiffres";
				return NULL;
			}
		}
	}
	for (p = number ? number : input; *p; p++) {
		if (g_ascii_isdigit(*p))
			g_string_append_c(digits, *p);
		else if (*p == '+' && digits->len == 0 && !plus)
			plus = TRUE;
		else if (!strchr(" .-/()", *p)) {
			*why_r = "un numéro de téléphone ne s'écrit qu'avec des chiffres (et + , espaces, "
				 "points, tirets)";
			return NULL;
		}
	}
	if (plus && g_str_has_prefix(digits->str, "33") && digits->len == 11) {
		g_string_erase(digits, 0, 2);
		g_string_prepend_c(digits, '0');
		plus = FALSE;
	}
	if (plus) {
		if (digits->len < 8 || digits->len > 15) {
			*why_r = "un numéro international compte de 8 à 15 chiffres après le +";
			return NULL;
		}
		return g_strconcat("+", digits->str, extension ? " poste " : "", extension ? extension : "",
				   NULL);
	}
	if (digits->len != 10 || digits->str[0] != '0' || digits->str[1] == '0') {
		*why_r = "un numéro français compte 10 chiffres et commence par 01 à 09";
		return NULL;
	}
	return g_strdup_printf("%.2s %.2s %.2s %.2s %.2s%s%s", digits->str, digits->str + 2,
			       digits->str + 4, digits->str + 6, digits->str + 8,
			       extension ? " poste " : "", extension ? extension : "");
}
