/* One slot per loaded library, so that a callback knows which library calls it (libslot.h). */
#include "config.h"

#include <stdatomic.h>

#include "compat/thread.h"
#include "libslot.h"

static dl_mutex slots_lock = DL_MUTEX_INIT;
/* Filled once each, in order, under slots_lock; read lock-free. */
static _Atomic(const struct dlssl__ossl *) slots[DL_LIB_SLOTS];

/* Generations of one library share its functions. */
static int
same_library(const struct dlssl__ossl *a, const struct dlssl__ossl *b)
{
	return a->SSL_new == b->SSL_new;
}

int
dlssl__lib_slot(const struct dlssl__ossl *api)
{
	const struct dlssl__ossl *t;
	int i, slot = -1;

	for (i = 0; i < DL_LIB_SLOTS; i++) {
		if ((t = atomic_load_explicit(&slots[i], memory_order_acquire)) == NULL)
			break;
		if (same_library(t, api))
			return i;
	}
	dl_mutex_lock(&slots_lock);
	for (i = 0; i < DL_LIB_SLOTS && slot < 0; i++) {
		if ((t = atomic_load_explicit(&slots[i], memory_order_acquire)) == NULL) {
			atomic_store_explicit(&slots[i], api, memory_order_release);
			slot = i;
		} else if (same_library(t, api)) {
			slot = i;
		}
	}
	dl_mutex_unlock(&slots_lock);
	if (slot < 0)
		dlssl__set_errorx(DLSSL_ERR_USAGE, "more than %d different libraries were loaded in this "
		    "process: %s cannot be used", DL_LIB_SLOTS, api->info->version_text);
	return slot;
}

const struct dlssl__ossl *
dlssl__lib_table(int slot)
{
	if (slot < 0 || slot >= DL_LIB_SLOTS)
		return NULL;
	return atomic_load_explicit(&slots[slot], memory_order_acquire);
}

void *
dlssl__lib_ssl_data(int slot, const SSL *ssl)
{
	const struct dlssl__ossl *lib = dlssl__lib_table(slot), *t;
	void *p;

	if (lib == NULL || ssl == NULL)
		return NULL;
	/* Each generation has its own index; the SSL holds data at its maker's only. */
	for (t = dlssl__ossl_current(); t != NULL; t = t->previous) {
		if (same_library(t, lib) && (p = t->SSL_get_ex_data(ssl, t->ex_ssl)) != NULL)
			return p;
	}
	return NULL;
}
