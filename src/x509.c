/* x509: being written. */
#include "config.h"
typedef int dlssl_placeholder_x509;
