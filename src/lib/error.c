#include "lib/error.h"

G_DEFINE_QUARK(mailorder-error-quark, mo_error)
