/* Unit tests of validate.c: real-looking identifiers pass and come back
 * normalised; typos fail with the sentence that names the broken rule. */
#include "lib/validate.h"
#include "tap.h"

#include <string.h>

#define NBSP "\xC2\xA0"
#define NNBSP "\xE2\x80\xAF"

typedef char *validate_fn(const char *input, const char **why_r);

typedef struct {
	const char *in;
	const char *want;   /* normalised value, or NULL when refused */
	const char *why;    /* when refused: the exact sentence, or NULL for any */
} check_case;

static void run(const char *what, validate_fn *fn, const check_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const check_case *c = &cases[i];
		const char *why = NULL;
		g_autofree char *got = fn(c->in, &why);

		if (c->want != NULL) {
			if (!is_str(got, c->want, "%s '%s' is valid", what, c->in ? c->in : "NULL"))
				tap_diag("why: %s", why ? why : "(none)");
			continue;
		}
		is_str(got, NULL, "%s '%s' is refused", what, c->in ? c->in : "NULL");
		if (c->why != NULL)
			is_str(why, c->why, "  because: %s", c->why);
		else
			ok(why != NULL && why[0] != '\0', "  with a reason (%s)", why ? why : "NULL");
	}
}

static const check_case sirets[] = {
	{ "90033915100079", "90033915100079", NULL },
	{ "60741313500080", "60741313500080", NULL },
	{ "10433218400019", "10433218400019", NULL },
	{ "38637940800019", "38637940800019", NULL },
	{ "12656292500092", "12656292500092", NULL },
	{ "900 339 151 00079", "90033915100079", NULL },
	{ " 900" NBSP "339" NNBSP "151\t00079 ", "90033915100079", NULL },
	{ "261 973 069 70249", "26197306970249", NULL },        /* tests/data */
	{ "14026066276758", "14026066276758", NULL },
	{ "24299537171803", "24299537171803", NULL },
	{ "35600000000048", "35600000000048", NULL },           /* La Poste, head office */
	{ "356 000 000 12341", "35600000012341", NULL },        /* digit sum 25 */
	{ "35600000012342", NULL,
	  "la clé de contrôle du SIRET de La Poste est fausse (somme des chiffres multiple "
	  "de 5)" },
	{ "35600000012340", NULL,        /* Luhn would pass: not La Poste's rule */
	  "la clé de contrôle du SIRET de La Poste est fausse (somme des chiffres multiple "
	  "de 5)" },
	{ "926 000 365 00064", NULL, "la clé de contrôle (Luhn) du SIRET est fausse" },
	{ "90033915100078", NULL, "la clé de contrôle (Luhn) du SIRET est fausse" },
	{ "90033915100097", NULL, "la clé de contrôle (Luhn) du SIRET est fausse" },
	{ "9003391510007", NULL, "un SIRET a 14 chiffres" },
	{ "900339151000790", NULL, "un SIRET a 14 chiffres" },
	{ "900339151", NULL, "un SIRET a 14 chiffres" },
	{ "9003391510007A", NULL, "un SIRET ne contient que des chiffres" },
	{ "900-339-151-00079", NULL, "un SIRET ne contient que des chiffres" },
	{ "９００３３９１５１０００７９", NULL, "un SIRET ne contient que des chiffres" },
	{ "", NULL, "le SIRET est vide" },
	{ "   ", NULL, "le SIRET est vide" },
	{ NULL, NULL, "le SIRET est vide" },
};

static const check_case sirens[] = {
	{ "900339151", "900339151", NULL },
	{ "900 339 151", "900339151", NULL },
	{ "356000000", "356000000", NULL },
	{ "900339152", NULL, "la clé de contrôle (Luhn) du SIREN est fausse" },
	{ "90033915", NULL, "un SIREN a 9 chiffres" },
	{ "90033915100079", NULL, "un SIREN a 9 chiffres" },
	{ "9003391x1", NULL, "un SIREN ne contient que des chiffres" },
	{ "", NULL, "le SIREN est vide" },
};

static const check_case vats[] = {
	{ "FR85900339151", "FR85900339151", NULL },
	{ "FR36607413135", "FR36607413135", NULL },
	{ "FR68104332184", "FR68104332184", NULL },
	{ "FR70386379408", "FR70386379408", NULL },
	{ "FR38126562925", "FR38126562925", NULL },
	{ "fr 85 900 339 151", "FR85900339151", NULL },
	{ "Fr85" NBSP "900339151", "FR85900339151", NULL },
	{ "FR96261973069", "FR96261973069", NULL },             /* tests/data */
	{ "FR72140260662", "FR72140260662", NULL },
	{ "FR85242995371", "FR85242995371", NULL },
	{ "FR86900339151", NULL, "la clé TVA ne correspond pas au SIREN" },
	{ "FR36607413153", NULL,
	  "le SIREN contenu dans le numéro de TVA est faux (clé de Luhn)" },
	{ "FR8590033915", NULL,
	  "un numéro de TVA français s'écrit FR, 2 chiffres de clé et les 9 chiffres du SIREN" },
	{ "FRAB900339151", NULL,
	  "un numéro de TVA français s'écrit FR, 2 chiffres de clé et les 9 chiffres du SIREN" },
	{ "FR", NULL,
	  "un numéro de TVA français s'écrit FR, 2 chiffres de clé et les 9 chiffres du SIREN" },
	{ "85900339151", NULL, "un numéro de TVA commence par les 2 lettres du pays (FR)" },
	{ "F", NULL, "un numéro de TVA commence par les 2 lettres du pays (FR)" },
	{ "FR85.900.339.151", NULL,
	  "un numéro de TVA ne contient que des lettres et des chiffres" },
	{ "DE123456789", "DE123456789", NULL },
	{ "be 0123 456 789", "BE0123456789", NULL },
	{ "EL123456789", "EL123456789", NULL },
	{ "NL123456789B01", "NL123456789B01", NULL },
	{ "ATU12345678", "ATU12345678", NULL },
	{ "IT12", "IT12", NULL },
	{ "ES1234567890123", "ES1234567890123", NULL },         /* 13 after the prefix */
	{ "ES12345678901234", NULL, NULL },
	{ "DE1", NULL, NULL },
	{ "US123456789", NULL,
	  "le numéro de TVA ne commence pas par le code d'un pays de l'Union européenne" },
	{ "GB123456789", NULL, NULL },
	{ "", NULL, "le numéro de TVA est vide" },
};

static const check_case ibans[] = {
	{ "FR7626753166948480561799315", "FR7626753166948480561799315", NULL },
	{ "FR7613306000878227824896367", "FR7613306000878227824896367", NULL },
	{ "FR7630004008159600133890805", "FR7630004008159600133890805", NULL },
	{ "FR7616959000017788869762403", "FR7616959000017788869762403", NULL },
	{ "fr76 2675 3166 9484 8056 1799 315", "FR7626753166948480561799315", NULL },
	{ "FR76" NBSP "1330" NNBSP "6000 8782 2782 4896 367", "FR7613306000878227824896367", NULL },
	{ "FR27 2233 7579 3106 7980 2274 964", "FR2722337579310679802274964", NULL },
	{ "FR05 6199 3164 9934 2577 5482 805", "FR0561993164993425775482805", NULL },
	{ "FR3318229839728186036370026", "FR3318229839728186036370026", NULL },
	{ "DE89 3704 0044 0532 0130 00", "DE89370400440532013000", NULL },
	{ "GB82WEST12345698765432", "GB82WEST12345698765432", NULL },  /* letters inside */
	{ "gb82 west 1234 5698 7654 32", "GB82WEST12345698765432", NULL },
	{ "FR761695900001778886976243", NULL, "un IBAN français a 27 caractères" },
	{ "FR7616959000017788869762404", NULL,
	  "la clé de contrôle de l'IBAN est fausse (modulo 97)" },
	{ "FR7716959000017788869762403", NULL,
	  "la clé de contrôle de l'IBAN est fausse (modulo 97)" },
	{ "GB82WEST12345698765433", NULL,
	  "la clé de contrôle de l'IBAN est fausse (modulo 97)" },
	{ "FR76-2675-3166-9484-8056-1799-315", NULL,
	  "un IBAN ne contient que des lettres et des chiffres" },
	{ "FR76", NULL, NULL },
	{ "7626753166948480561799315FR", NULL, NULL },
	{ "FRAB26753166948480561799315", NULL, NULL },
	{ "FR76267531669484805617993151234567890", NULL, NULL },
	{ "", NULL, "l'IBAN est vide" },
};

static const check_case bics[] = {
	{ "BNPAFRPP", "BNPAFRPP", NULL },
	{ "bnpa fr pp xxx", "BNPAFRPPXXX", NULL },
	{ "CCBPFRPPBDX", "CCBPFRPPBDX", NULL },
	{ "DEUTDEFF500", "DEUTDEFF500", NULL },
	{ "AGRIFRP1", "AGRIFRP1", NULL },
	{ "BNPAFRP", NULL, "un BIC a 8 ou 11 caractères" },
	{ "BNPAFRPPXX", NULL, "un BIC a 8 ou 11 caractères" },
	{ "BNP1FRPP", NULL, "un BIC commence par 4 lettres (banque) et 2 lettres (pays)" },
	{ "BNPAF1PP", NULL, "un BIC commence par 4 lettres (banque) et 2 lettres (pays)" },
	{ "BNPA-FR-PP", NULL, "un BIC ne contient que des lettres et des chiffres" },
	{ "", NULL, "le BIC est vide" },
};

static const check_case accounts[] = {
	{ "411AMA00", "411AMA00", NULL },
	{ "411 ama 00", "411AMA00", NULL },
	{ "411EPIMA", "411EPIMA", NULL },
	{ "4110001", "4110001", NULL },
	{ "411ABCDEFGHIJKL", "411ABCDEFGHIJKL", NULL },
	{ "411ABCDEFGHIJKLM", NULL, "un compte client est 411 suivi de 1 à 12 lettres ou chiffres (411AMA00)" },
	{ "411", NULL, "un compte client est 411 suivi de 1 à 12 lettres ou chiffres (411AMA00)" },
	{ "411-AMA", NULL, "un compte client est 411 suivi de 1 à 12 lettres ou chiffres (411AMA00)" },
	{ "401AMA00", NULL, "un compte client commence par 411 (plan comptable : clients)" },
	{ "706000", NULL, "un compte client commence par 411 (plan comptable : clients)" },
	{ "", NULL, "un compte client commence par 411 (plan comptable : clients)" },
};

static const check_case emails[] = {
	{ "commandes@epicerie-du-marche.fr", "commandes@epicerie-du-marche.fr", NULL },
	{ "Jean.Dupont@Exemple.FR", "Jean.Dupont@exemple.fr", NULL },
	{ "  lea@jardins-de-lea.fr\t", "lea@jardins-de-lea.fr", NULL },
	{ "compta+factures@bio.example.co.uk", "compta+factures@bio.example.co.uk", NULL },
	{ "o'neil@xn--bio-ppa.fr", "o'neil@xn--bio-ppa.fr", NULL },
	{ "", NULL, "l'adresse e-mail est vide" },
	{ "   ", NULL, "l'adresse e-mail est vide" },
	{ "jean", NULL, "une adresse e-mail s'écrit nom@domaine.fr, avec un seul @" },
	{ "jean@", NULL, "une adresse e-mail s'écrit nom@domaine.fr, avec un seul @" },
	{ "@exemple.fr", NULL, "une adresse e-mail s'écrit nom@domaine.fr, avec un seul @" },
	{ "a@b@exemple.fr", NULL, "une adresse e-mail s'écrit nom@domaine.fr, avec un seul @" },
	{ "jean dupont@exemple.fr", NULL, "une adresse e-mail ne contient pas d'espace" },
	{ "jean@exemple", NULL, "le domaine de l'adresse e-mail n'a pas de point (domaine.fr)" },
	{ "jean..dupont@exemple.fr", NULL, "un point mal placé avant le @ de l'adresse e-mail" },
	{ ".jean@exemple.fr", NULL, "un point mal placé avant le @ de l'adresse e-mail" },
	{ "jean.@exemple.fr", NULL, "un point mal placé avant le @ de l'adresse e-mail" },
	{ "jéan@exemple.fr", NULL, "un caractère interdit avant le @ de l'adresse e-mail" },
	{ "jean,dupont@exemple.fr", NULL, "un caractère interdit avant le @ de l'adresse e-mail" },
	{ "<jean@exemple.fr>", NULL, "un caractère interdit avant le @ de l'adresse e-mail" },
	{ "jean@-exemple.fr", NULL, "le domaine de l'adresse e-mail est mal formé" },
	{ "jean@exemple-.fr", NULL, "le domaine de l'adresse e-mail est mal formé" },
	{ "jean@exemple..fr", NULL, "le domaine de l'adresse e-mail est mal formé" },
	{ "jean@.exemple.fr", NULL, "le domaine de l'adresse e-mail est mal formé" },
	{ "jean@exemple.fr.", NULL, "le domaine de l'adresse e-mail est mal formé" },
	{ "jean@exe_mple.fr", NULL, "le domaine de l'adresse e-mail est mal formé" },
	{ "jean@exemple.fr>", NULL, "le domaine de l'adresse e-mail est mal formé" },
	{ "jean@192.168.1.1", NULL, "le domaine de l'adresse e-mail se termine mal (.fr, .com...)" },
	{ "jean@exemple.f", NULL, "le domaine de l'adresse e-mail se termine mal (.fr, .com...)" },
};

static const check_case phones[] = {
	{ "05 56 11 22 33", "05 56 11 22 33", NULL },
	{ "0556112233", "05 56 11 22 33", NULL },
	{ "05.56.11.22.33", "05 56 11 22 33", NULL },
	{ "+33 5 56 11 22 33", "05 56 11 22 33", NULL },
	{ "+33 (0)5 56", NULL, NULL },
	{ "+44 20 7946 0958", "+442079460958", NULL },
	{ "06 12 34 56", NULL, "un numéro français compte 10 chiffres et commence par 01 à 09" },
	{ "00 56 11 22 33", NULL, NULL },
	{ "05 56 11 22 33 poste 12", "05 56 11 22 33 poste 12", NULL },
	{ "0556112233 Ext 4", "05 56 11 22 33 poste 4", NULL },
	{ "05 56 11 22 33 poste douze", NULL, "un numéro de poste ne s'écrit qu'avec des chiffres" },
	{ "+1 23", NULL, NULL },
};

static const check_case postcodes[] = {
	{ "75001", "75001", NULL },
	{ "01000", "01000", NULL },
	{ "20000", "20000", NULL },      /* Ajaccio */
	{ "20200", "20200", NULL },      /* Bastia */
	{ "97400", "97400", NULL },
	{ "98999", "98999", NULL },
	{ " 33 000 ", "33000", NULL },
	{ "7500", NULL, "un code postal français a 5 chiffres" },
	{ "750011", NULL, "un code postal français a 5 chiffres" },
	{ "2A000", NULL, "un code postal français a 5 chiffres" },
	{ "abcde", NULL, "un code postal français a 5 chiffres" },
	{ "00999", NULL, "un code postal français va de 01000 à 98999" },
	{ "99000", NULL, "un code postal français va de 01000 à 98999" },
	{ "", NULL, "le code postal est vide" },
};

static void test_luhn(void)
{
	ok(validate_luhn("79927398713"), "luhn: the textbook number passes");
	ok(!validate_luhn("79927398710"), "luhn: a changed key fails");
	ok(!validate_luhn("79927398731"), "luhn: swapped digits fail");
	ok(validate_luhn("0"), "luhn: '0' passes");
	ok(validate_luhn("18"), "luhn: '18' passes (8 + 1*2)");
	ok(validate_luhn("59"), "luhn: '59' passes (9 + 5*2-9)");
	ok(!validate_luhn("19"), "luhn: '19' fails");
	ok(!validate_luhn(""), "luhn: empty fails");
	ok(!validate_luhn(NULL), "luhn: NULL fails");
	ok(!validate_luhn("7992 7398 713"), "luhn: a space is not a digit");
	ok(!validate_luhn("a0"), "luhn: a letter is not a digit");
}

static void test_vat_matches_siret(void)
{
	ok(validate_vat_matches_siret("FR85900339151", "90033915100079"),
	   "VAT FR85900339151 matches SIRET 90033915100079");
	ok(validate_vat_matches_siret("FR96261973069", "26197306970249"),
	   "VAT FR96261973069 matches SIRET 26197306970249");
	ok(!validate_vat_matches_siret("FR85900339151", "60741313500080"),
	   "VAT FR85900339151 does not match SIRET 60741313500080");
	ok(!validate_vat_matches_siret("FR36607413135", "90033915100079"),
	   "VAT FR36607413135 does not match SIRET 90033915100079");
	ok(validate_vat_matches_siret("DE123456789", "90033915100079"),
	   "a foreign VAT number does not contradict a SIRET");
	ok(!validate_vat_matches_siret("FR8590033915", "90033915100079"), "a short VAT fails");
	ok(!validate_vat_matches_siret(NULL, "90033915100079"), "NULL VAT fails");
	ok(!validate_vat_matches_siret("FR85900339151", NULL), "NULL SIRET fails");
}

/* Every valid French VAT number is FR + key + a valid SIREN: build some
 * from the SIRETs above and check both functions agree. */
static void test_vat_from_siret(void)
{
	static const char *const sirets_ok[] = {
		"90033915100079", "60741313500080", "10433218400019", "38637940800019",
		"12656292500092", "35600000000048",
	};

	for (size_t i = 0; i < G_N_ELEMENTS(sirets_ok); i++) {
		const char *why = NULL;
		g_autofree char *nine = g_strndup(sirets_ok[i], 9);
		g_autofree char *siren = validate_siren(nine, &why);
		int found = -1;

		ok(siren != NULL, "SIREN of %s is valid", sirets_ok[i]);
		if (siren == NULL)
			continue;
		for (int key = 0; key < 100; key++) {
			char vat[16];
			g_autofree char *norm = NULL;

			g_snprintf(vat, sizeof(vat), "FR%02d%s", key, siren);
			norm = validate_vat(vat, &why);
			if (norm != NULL) {
				if (found >= 0)
					found = 100;  /* two keys accepted: wrong */
				else
					found = key;
			}
		}
		ok(found >= 0 && found < 97, "exactly one VAT key for SIREN %s (%d)", siren, found);
	}
}

int main(void)
{
	test_luhn();
	run("SIRET", validate_siret, sirets, G_N_ELEMENTS(sirets));
	run("SIREN", validate_siren, sirens, G_N_ELEMENTS(sirens));
	run("VAT", validate_vat, vats, G_N_ELEMENTS(vats));
	test_vat_matches_siret();
	test_vat_from_siret();
	run("IBAN", validate_iban, ibans, G_N_ELEMENTS(ibans));
	run("BIC", validate_bic, bics, G_N_ELEMENTS(bics));
	run("customer account", validate_customer_account, accounts, G_N_ELEMENTS(accounts));
	run("e-mail", validate_email, emails, G_N_ELEMENTS(emails));
	run("postcode", validate_postcode_fr, postcodes, G_N_ELEMENTS(postcodes));
	run("phone", validate_phone, phones, G_N_ELEMENTS(phones));
	return tap_done();
}
