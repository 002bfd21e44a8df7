/* party: what a PO's text says of its customer (addresses, phone,
 * contact), as laid out by the reader: columns two or more spaces apart. */
#include "reading/party.h"
#include "tap.h"

#include <glib.h>

static const party_ours ours = { "Sweetie Bio", "Zone Industrielle La Ballastière", "33500" };

static GHashTable *found_in(const char *text)
{
	GHashTable *fields = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);

	party_details_find(text, &ours, fields);
	return fields;
}

static const char *get(GHashTable *f, const char *field)
{
	const char *v = g_hash_table_lookup(f, field);

	return v ? v : "(none)";
}

/* A letterhead on the left, ours and the delivery address side by side. */
static void two_columns(void)
{
	g_autoptr(GHashTable) f = found_in(
		"LA BOUTIQUE VERTE    BON DE COMMANDE\n"
		"Commande N° BV-12\n"
		"7 rue des Tilleuls – 24100 Bergerac\n"
		"Fax 05 53 00 00 01 – Tél. 05 53 00 00 02    Date : 20/11/2026\n"
		"Interlocutrice : Mme Jeanne Vidal\n"
		"SIRET 900 339 151 00079 – TVA FR85900339151    Page 1/1\n"
		"Fournisseur    Adresse de livraison\n"
		"Sweetie Bio    La Boutique Verte – dépôt\n"
		"Zone Industrielle La Ballastière    Entrepôt 2, 11 route de Mussidan\n"
		"33500 Libourne    24100 Creysse\n"
		"Conditionnement    10000 Unités\n"
		"Livraison souhaitée le : 27/11/2026\n");

	is_str(get(f, "billing_address"), "7 rue des Tilleuls", "the letterhead's street");
	is_str(get(f, "billing_postcode"), "24100", "its postcode");
	is_str(get(f, "billing_city"), "Bergerac", "its city");
	is_str(get(f, "delivery_address"), "Entrepôt 2, 11 route de Mussidan",
	       "the delivery block's street, from the cell above in its column");
	is_str(get(f, "delivery_postcode"), "24100", "its postcode");
	is_str(get(f, "delivery_city"), "Creysse", "its city");
	is_str(get(f, "phone"), "05 53 00 00 02", "the phone labelled Tél., not the fax");
	is_str(get(f, "contact"), "Jeanne Vidal", "the contact, without Mme");
}

/* What the review found: values of ours or of no one taken for theirs. */
static void not_theirs(void)
{
	static const party_ours short_street = { "Délices du Périgord", "2 rue du Pont", "24000" };
	g_autoptr(GHashTable) f = found_in(
		"Fournisseur :\n"
		"Sweetie Bio\n"
		"Zone Industrielle La Ballastière\n"
		"33500 Libourne\n"
		"Tél. 05 57 00 00 00\n"
		"Contact : Paul Martin\n");
	g_autoptr(GHashTable) g = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
	g_autoptr(GString) long_cell = g_string_new("Désignation ");

	is_str(get(f, "phone"), "(none)", "a phone under our address is not taken for theirs");
	is_str(get(f, "contact"), "(none)", "nor a contact");

	party_details_find("Destinataire :\nSAS DELICES-DU-PERIGORD\n2 rue du Pont\n24000 Périgueux\n",
			   &short_street, g);
	is_str(get(g, "billing_address"), "(none)", "our street with no word of its own is still ours");

	g_clear_pointer(&f, g_hash_table_unref);
	f = found_in("Épicerie Lafon\n"
		     "BP 123 - 24100 Bergerac Cedex\n"
		     "Contact : M. DUPONT Jean Tél 06 00 00 00 00\n");
	is_str(get(f, "billing_city"), "Bergerac", "Cedex without a number is not the city");
	is_str(get(f, "contact"), "DUPONT Jean", "a contact's name stops before Tél");

	g_clear_pointer(&f, g_hash_table_unref);
	f = found_in("Contact : Service Achats\n");
	is_str(get(f, "contact"), "(none)", "a department is not a contact");

	g_clear_pointer(&f, g_hash_table_unref);
	f = found_in("Boutique de Sarlat\n"
		     "3 place de la Liberté, 24200 Sarlat-la-Canéda\n"
		     "Adresse de facturation\n"
		     "Délices SAS — siège\n"
		     "10 rue Gambetta\n"
		     "24000 Périgueux\n");
	is_str(get(f, "billing_address"), "10 rue Gambetta", "a billing heading wins over the letterhead");
	is_str(get(f, "billing_city"), "Périgueux", "its city");

	for (int i = 0; i < 400; i++)
		g_string_append(long_cell, "Farine 12345 Bordeaux ");
	g_clear_pointer(&f, g_hash_table_unref);
	f = found_in(long_cell->str);
	ok(g_hash_table_size(f) == 0, "a cell of 9 KB is no address (and is not read for one)");
}

/* One column: a letter, our address under "À l'attention de". */
static void letter(void)
{
	g_autoptr(GHashTable) f = found_in(
		"Au Jardin d’Hélène\n"
		"3 place de l’Église — 24130 Le Fleix\n"
		"Tél. 05 53 24 00 11 — contact@jardin-helene.example\n"
		"À l’attention de : Sweetie Bio — Service commandes\n"
		"Zone Industrielle La Ballastière, 33500 Libourne\n");

	is_str(get(f, "billing_address"), "3 place de l’Église", "a street before an em dash");
	is_str(get(f, "billing_city"), "Le Fleix", "a city of two words");
	is_str(get(f, "delivery_address"), "(none)", "no delivery address: ours is not one");
	is_str(get(f, "phone"), "05 53 24 00 11", "its phone");
	is_str(get(f, "contact"), "(none)", "no contact named");
}

/* What is not an address, and what the caller already has. */
static void not_addresses(void)
{
	g_autoptr(GHashTable) f = NULL;
	g_autoptr(GHashTable) given = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);

	f = found_in("Le Panier Voisin — SIRET 926 000 365 00064\n"
		     "Réf.    Désignation    Qté\n"
		     "Fournisseur : Sweetie Bio, ZI La Ballastière, 33500 Libourne, Tél. 05 57 00 00 00\n");
	is_str(get(f, "billing_postcode"), "(none)", "a SIRET's last digits are no postcode");
	is_str(get(f, "phone"), "(none)", "our phone, in our block, is not theirs");

	g_hash_table_insert(given, (gpointer) "billing_address", g_strdup("1 rue Neuve"));
	party_details_find("12 avenue Thiers, 33100 Bordeaux\n", &ours, given);
	is_str(get(given, "billing_address"), "1 rue Neuve", "a field the rule read stays");
	is_str(get(given, "billing_postcode"), "33100", "one it did not is added");

	g_clear_pointer(&f, g_hash_table_unref);
	f = found_in("2 place du Marché, 33000 Bordeaux CEDEX 2\n"
		     "Contact : Paul Henry\n"
		     "Tél : +33 5 56 11 22 33\n");
	is_str(get(f, "billing_address"), "2 place du Marché", "street, comma, postcode");
	is_str(get(f, "billing_city"), "Bordeaux", "the city without its CEDEX");
	is_str(get(f, "contact"), "Paul Henry", "Contact :");
	is_str(get(f, "phone"), "+33 5 56 11 22 33", "an international number");

	g_clear_pointer(&f, g_hash_table_unref);
	f = found_in("Livraison : 24000 Périgueux\nCommande urgente\n");
	is_str(get(f, "delivery_postcode"), "24000", "a delivery label in the same cell");
	is_str(get(f, "delivery_address"), "(none)", "no street to give");
	party_details_find(NULL, &ours, f);
	ok(g_hash_table_size(f) == 2, "no text: nothing found, nothing broken");
	g_clear_pointer(&f, g_hash_table_unref);
	f = found_in("ÉPICERIE DES QUAIS\n"
		     "4 quai Souchet, 33500 Libourne\n"
		     "Livraison : ZI La Ballastière, 33500 Libourne\n");
	is_str(get(f, "billing_address"), "4 quai Souchet", "a customer in our town, on a street of its own");
	is_str(get(f, "delivery_postcode"), "(none)", "our postcode and our street are ours");
}

int main(void)
{
	two_columns();
	letter();
	not_addresses();
	not_theirs();
	return tap_done();
}
