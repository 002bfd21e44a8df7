#include "lib/error.h"

#include <errno.h>

G_DEFINE_QUARK(mailorder-error-quark, mo_error)

const char *mo_strerror(int errnum)
{
	switch (errnum) {
	case ENOENT: return "fichier ou dossier introuvable";
	case EACCES: return "permission refusée";
	case EPERM: return "opération non permise";
	case EEXIST: return "existe déjà";
	case EISDIR: return "c'est un dossier";
	case ENOTDIR: return "un élément du chemin n'est pas un dossier";
	case ENOSPC: return "plus de place sur le disque";
	case EDQUOT: return "quota du disque dépassé";
	case EROFS: return "système de fichiers en lecture seule";
	case EIO: return "erreur d'entrée-sortie du disque";
	case EMFILE:
	case ENFILE: return "trop de fichiers ouverts";
	case ENAMETOOLONG: return "nom trop long";
	case ELOOP: return "trop de liens symboliques";
	case EXDEV: return "pas sur le même système de fichiers";
	case ENOMEM: return "mémoire épuisée";
	case EINVAL: return "argument invalide";
	case EAGAIN: return "ressource momentanément indisponible";
	case ECONNREFUSED: return "connexion refusée";
	case ETIMEDOUT: return "délai dépassé";
	case EHOSTUNREACH: return "machine injoignable";
	case ENETUNREACH: return "réseau injoignable";
	case ECONNRESET: return "connexion coupée par l'autre côté";
	case EPIPE: return "l'autre côté a fermé la connexion";
	default: return g_strerror(errnum);
	}
}
