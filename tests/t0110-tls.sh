#!/usr/bin/env bash
# TLS: imaps and starttls with a private CA work; an untrusted certificate
# or one for another host is refused before the password is sent.
. "$(dirname "$0")/lib.sh"
t_init
dove_start || { echo "Bail out! Dovecot did not start"; exit 1; }
mkpdf_order a.pdf "Commande TLS"
mkeml --from commandes@epicerie-du-marche.fr --id "<tls1@x>" --attach a.pdf a.pdf application/pdf >m1.eml
mkeml --from commandes@epicerie-du-marche.fr --id "<tls2@x>" --attach a.pdf a.pdf application/pdf >m2.eml
dove_deliver m1.eml

mo_config imaps
mo_init_catalog
mo poll --once >out 2>err
t_is "$?" 0 "imaps with ca_file: poll succeeds"
t_is "$(mo drafts --json | jq length)" "1" "and takes the message in"
t_ok "the password is not in the log" bash -c "! grep -q -- '$DOVE_PASS' err"

dove_deliver m2.eml
mo_config starttls
mo poll --once >out 2>err
t_is "$?" 0 "starttls with ca_file: poll succeeds"
t_is "$(mo quarantine --json | jq -r '.[0].reason')" "duplicate" "and takes the second message in"

mo_config imaps
sed -i '/^ca_file/d' mailorder.conf
mo poll --once >out 2>err
t_is "$?" 1 "imaps without the CA: poll fails"
t_like "$(cat err)" "certificat de 127.0.0.1 refusé : son émetteur est inconnu \\(une autorité privée \\? donnez-la par ca_file\\)" "because the certificate is not trusted"
mo_config starttls
sed -i '/^ca_file/d' mailorder.conf
mo poll --once >out 2>err
t_is "$?" 1 "starttls without the CA: refused too"

printf 'x\n' >other-ca.pem
mo_config imaps
sed -i "s|^ca_file = .*|ca_file = $T_DIR/other-ca.pem|" mailorder.conf
mo poll --once >out 2>err
t_is "$?" 1 "a ca_file with no certificate in it is an error"

sed -i "s|^host = 127.0.0.1|host = localhost|" mailorder.conf
mo_config imaps
sed -i "s|^host = 127.0.0.1|host = localhost|" mailorder.conf
mo poll --once >out 2>err
t_is "$?" 0 "the certificate's DNS name is accepted"

sed -i "s|^host = localhost|host = mail.example.com|; s|^tls = imaps.*|tls = none|" mailorder.conf
mo poll --once >out 2>err
t_is "$?" 2 "tls = none for a remote host is a config error"
t_like "$(cat err)" "« none » envoie le mot de passe en clair" "and says why"

# A certificate for another host name, from a CA we trust: refused.
dove_stop
DOVE_CERT_CN=other.example DOVE_CERT_SAN=DNS:other.example dove_start ||
	{ echo "Bail out! Dovecot did not restart"; exit 1; }
: >"$DOVE_DIR/dovecot.log"
mo_config imaps
mo poll --once >out 2>err
t_is "$?" 1 "a certificate for another host is refused"
t_like "$(cat err)" "certificat de 127.0.0.1 refusé : il n'est pas au nom de ce serveur" "with the reason"
t_ok "the login was never tried" bash -c "! grep -q 'Login: user=' '$DOVE_DIR/dovecot.log'"
t_done
