/* imap: the mailbox names of the config, as IMAP spells them. */
#include "mail/imap.h"
#include "tap.h"

#include <glib.h>

int main(void)
{
	static const struct {
		const char *utf8, *wire;
	} cases[] = {
		{ "INBOX", "INBOX" },
		{ "Commandes reçues", "Commandes re&AOc-ues" },
		{ "Entwürfe", "Entw&APw-rfe" },
		{ "A & B", "A &- B" },
		{ "日本語", "&ZeVnLIqe-" },
		{ "été/Bons de commande", "&AOk-t&AOk-/Bons de commande" },
		{ "~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-" },
		{ "", "" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *wire = imap_mailbox_name(cases[i].utf8);

		is_str(wire, cases[i].wire, "'%s' is '%s' on the wire", cases[i].utf8, cases[i].wire);
	}
	return tap_done();
}
