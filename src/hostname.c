/* hostname: being written. */
#include "config.h"
typedef int dlssl_placeholder_hostname;
