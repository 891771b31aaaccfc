/*
 * Link-map namespaces: glibc's dlmopen, so that a libssl/libcrypto pair can
 * be mapped beside another one with the same soname, isolated from every
 * symbol the host process exports.  Elsewhere (musl, macOS, Windows) the
 * calls say that there is no such thing.
 *
 * A namespace holds its own copy of libc.  Two of its states must not be
 * separate from the host's, or they corrupt each other: thread-specific
 * data keys (glibc stores the values of every libc's keys in the same
 * per-thread slots, so key 0 of the namespace's libc is key 0 of the
 * host's) and fork handlers (the namespace's pthread_atfork list is never
 * run: fork() is the host's).  And the namespace's libc sets up its
 * per-thread ctype tables only for the thread that loaded it: isspace() in
 * a thread the host's libc started finds NULL there (LibreSSL and 1.0.2
 * call it while parsing certificates).  patch_object() points those calls
 * of the OpenSSL libraries at the host's libc, so that they behave as in a
 * library loaded the ordinary way.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ossl/dl.h"

#if defined(__GLIBC__) && !defined(_WIN32)
#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#ifdef LM_ID_NEWLM
#define DL_HAVE_NS 1
#endif
#endif

#ifdef DL_HAVE_NS

/* The calls redirected to the host's libc, and where they go. */
static const char *const redirected[] = {
	"pthread_key_create", "pthread_key_delete", "pthread_getspecific",
	"pthread_setspecific", "__register_atfork",
	"__ctype_b_loc", "__ctype_tolower_loc", "__ctype_toupper_loc",
};
#define NREDIRECTED (sizeof(redirected) / sizeof(redirected[0]))

static void *
host_fn(size_t i)
{
	/* libdlssl itself is in the base namespace: these are the host's. */
	switch (i) {
	case 0:
		return (void *)(uintptr_t)pthread_key_create;
	case 1:
		return (void *)(uintptr_t)pthread_key_delete;
	case 2:
		return (void *)(uintptr_t)pthread_getspecific;
	case 3:
		return (void *)(uintptr_t)pthread_setspecific;
	default:
		return dlsym(RTLD_DEFAULT, redirected[i]);
	}
}

int
dlssl__dl_ns_supported(void)
{
	return 1;
}

/* Is this the path of a libc (or its old libpthread)? */
static int
is_libc(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	return strncmp(base, "libc.so", 7) == 0 || strncmp(base, "libpthread.so", 13) == 0;
}

/* A pointer the dynamic linker may have left unrelocated in .dynamic. */
static uintptr_t
dyn_ptr(const struct link_map *lm, ElfW(Addr) v)
{
	return v < lm->l_addr ? lm->l_addr + v : v;
}

struct relro_find {
	ElfW(Addr) base;
	uintptr_t start, end;
};

/*
 * The RELRO range of a mapped object, from its program headers (mapped
 * with its first segment).  dl_iterate_phdr sees only the caller's namespace.
 */
static void
find_relro(const struct link_map *lm, struct relro_find *f)
{
	const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)lm->l_addr;
	const ElfW(Phdr) *ph;
	int i;

	if (lm->l_addr == 0 || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh->e_phentsize != sizeof(ElfW(Phdr)))
		return;
	ph = (const ElfW(Phdr) *)(lm->l_addr + eh->e_phoff);
	for (i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_GNU_RELRO) {
			f->start = f->base + ph[i].p_vaddr;
			f->end = f->start + ph[i].p_memsz;
		}
	}
}

/* Write a resolved GOT slot, lifting RELRO's write protection around it. */
static int
write_slot(void **slot, void *value, const struct relro_find *rf)
{
	long pg = sysconf(_SC_PAGESIZE);
	uintptr_t page = (uintptr_t)slot & ~(uintptr_t)(pg - 1);
	int ro = (uintptr_t)slot >= rf->start && (uintptr_t)slot < rf->end;

	if (ro && mprotect((void *)page, (size_t)pg, PROT_READ | PROT_WRITE) != 0)
		return -1;
	*slot = value;
	if (ro)
		(void)mprotect((void *)page, (size_t)pg, PROT_READ);
	return 0;
}

static void
patch_table(const struct link_map *lm, uintptr_t rel, size_t relsz, int rela,
    const ElfW(Sym) *symtab, const char *strtab, const struct relro_find *rf)
{
	size_t ent = rela ? sizeof(ElfW(Rela)) : sizeof(ElfW(Rel));
	size_t k, i;

	for (k = 0; k + ent <= relsz; k += ent) {
		ElfW(Addr) off;
		ElfW(Xword) info;
		size_t symi;
		const char *name;
		void **slot;

		if (rela) {
			const ElfW(Rela) *r = (const ElfW(Rela) *)(rel + k);

			off = r->r_offset;
			info = r->r_info;
		} else {
			const ElfW(Rel) *r = (const ElfW(Rel) *)(rel + k);

			off = r->r_offset;
			info = r->r_info;
		}
#if __ELF_NATIVE_CLASS == 64
		symi = ELF64_R_SYM(info);
#else
		symi = ELF32_R_SYM(info);
#endif
		if (symi == 0)
			continue;
		name = strtab + symtab[symi].st_name;
		for (i = 0; i < NREDIRECTED; i++) {
			void *to;

			if (strcmp(name, redirected[i]) != 0)
				continue;
			slot = (void **)(lm->l_addr + off);
			to = host_fn(i);
			/* Only a slot bound to a definition (RTLD_NOW), never a lazy stub. */
			if (to != NULL && *slot != NULL && *slot != to) {
				Dl_info di;

				if (dladdr(*slot, &di) != 0 && di.dli_fname != NULL &&
				    is_libc(di.dli_fname))
					(void)write_slot(slot, to, rf);
			}
		}
	}
}

/* Point one object's calls in redirected[] at the host's libc. */
static void
patch_object(const struct link_map *lm)
{
	const ElfW(Dyn) *d;
	uintptr_t jmprel = 0, rel = 0, rela = 0;
	size_t pltrelsz = 0, relsz = 0, relasz = 0;
	int pltrela = 1;
	const ElfW(Sym) *symtab = NULL;
	const char *strtab = NULL;
	struct relro_find rf = { lm->l_addr, 0, 0 };

	for (d = lm->l_ld; d != NULL && d->d_tag != DT_NULL; d++) {
		switch (d->d_tag) {
		case DT_SYMTAB:
			symtab = (const ElfW(Sym) *)dyn_ptr(lm, d->d_un.d_ptr);
			break;
		case DT_STRTAB:
			strtab = (const char *)dyn_ptr(lm, d->d_un.d_ptr);
			break;
		case DT_JMPREL:
			jmprel = dyn_ptr(lm, d->d_un.d_ptr);
			break;
		case DT_PLTRELSZ:
			pltrelsz = d->d_un.d_val;
			break;
		case DT_PLTREL:
			pltrela = d->d_un.d_val == DT_RELA;
			break;
		case DT_RELA:
			rela = dyn_ptr(lm, d->d_un.d_ptr);
			break;
		case DT_RELASZ:
			relasz = d->d_un.d_val;
			break;
		case DT_REL:
			rel = dyn_ptr(lm, d->d_un.d_ptr);
			break;
		case DT_RELSZ:
			relsz = d->d_un.d_val;
			break;
		}
	}
	if (symtab == NULL || strtab == NULL)
		return;
	find_relro(lm, &rf);
	if (jmprel)
		patch_table(lm, jmprel, pltrelsz, pltrela, symtab, strtab, &rf);
	if (rela)
		patch_table(lm, rela, relasz, 1, symtab, strtab, &rf);
	if (rel)
		patch_table(lm, rel, relsz, 0, symtab, strtab, &rf);
}

/*
 * A namespace left empty by a rejected candidate, kept alive by a handle
 * on its libc: the next new namespace is this one.  glibc never gives back
 * the static TLS of a namespace's libc, so namespaces are not thrown away.
 */
static long spare_ns = DL_NS_BASE;
static void *spare_libc;

void
dlssl__dl_ns_keep_spare(long ns)
{
	void *h;

	if (ns == DL_NS_BASE || ns == spare_ns || spare_libc != NULL)
		return;
	h = dlmopen((Lmid_t)ns, "libc.so.6", RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
	if (h != NULL) {
		spare_libc = h;
		spare_ns = ns;
	}
}

void *
dlssl__dl_open_ns(const char *name, long *ns, int noload, char *err, size_t errlen)
{
	int flags = RTLD_NOW | RTLD_LOCAL | (noload ? RTLD_NOLOAD : 0);
	Lmid_t id;
	struct link_map *lm = NULL;
	const char *msg;
	void *h;

	if (*ns == DL_NS_BASE)
		return dlssl__dl_open(name, noload, err, errlen);
	if (*ns == DL_NS_NEW && spare_libc != NULL) {
		/* Taken: the libc handle stays, the namespace now has an owner. */
		*ns = spare_ns;
		spare_libc = NULL;
		spare_ns = DL_NS_BASE;
	}
	id = *ns == DL_NS_NEW ? LM_ID_NEWLM : (Lmid_t)*ns;
	(void)dlerror();
	h = dlmopen(id, name, flags);
	if (h == NULL) {
		msg = dlerror();
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s%s", msg ? msg : "cannot open",
			    msg && strstr(msg, "static TLS") ? " (glibc has no static TLS left for "
			    "another link-map namespace: each holds its own libc; raise "
			    "GLIBC_TUNABLES=glibc.rtld.optional_static_tls or load fewer distinct "
			    "libraries privately)" : "");
		return NULL;
	}
	if (dlinfo(h, RTLD_DI_LMID, &id) != 0) {
		dlclose(h);
		snprintf(err, errlen, "cannot read the namespace of %s", name);
		return NULL;
	}
	*ns = (long)id;
	/* Every object of the namespace but its libc and the dynamic linker. */
	if (dlinfo(h, RTLD_DI_LINKMAP, &lm) == 0 && lm != NULL) {
		while (lm->l_prev != NULL)
			lm = lm->l_prev;
		for (; lm != NULL; lm = lm->l_next) {
			const char *base = strrchr(lm->l_name, '/');

			base = base ? base + 1 : lm->l_name;
			if (!is_libc(lm->l_name) && strncmp(base, "ld-linux", 8) != 0)
				patch_object(lm);
		}
	}
	return h;
}

dl_fp
dlssl__dl_ns_libc_sym(long ns, const char *name)
{
	void *h, *p = NULL;
	dl_fp fp;

	if (ns == DL_NS_BASE)
		return NULL;
	h = dlmopen((Lmid_t)ns, "libc.so.6", RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
	if (h != NULL) {
		p = dlsym(h, name);
		dlclose(h); /* the namespace's libraries keep it mapped */
	}
	memcpy(&fp, &p, sizeof(fp));
	return fp;
}

void *
dlssl__dl_ns_handle_of(dl_fp fp, long ns)
{
	Dl_info di;
	void *p;

	memcpy(&p, &fp, sizeof(p));
	if (ns == DL_NS_BASE)
		return dlssl__dl_handle_of(fp);
	if (fp == NULL || dladdr(p, &di) == 0 || di.dli_fname == NULL)
		return NULL;
	return dlmopen((Lmid_t)ns, di.dli_fname, RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
}

/* ---- would a load in the base namespace mix with another OpenSSL there? ---- */

/* The DT_SONAME of a mapped object, or its file name. */
static const char *
soname_of(const struct link_map *lm)
{
	const ElfW(Dyn) *d;
	const char *strtab = NULL;
	ElfW(Addr) off = 0;
	int have = 0;

	for (d = lm->l_ld; d != NULL && d->d_tag != DT_NULL; d++) {
		if (d->d_tag == DT_STRTAB)
			strtab = (const char *)dyn_ptr(lm, d->d_un.d_ptr);
		else if (d->d_tag == DT_SONAME) {
			off = d->d_un.d_val;
			have = 1;
		}
	}
	if (have && strtab != NULL)
		return strtab + off;
	return strrchr(lm->l_name, '/') ? strrchr(lm->l_name, '/') + 1 : lm->l_name;
}

static int
same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	    sa.st_ino == sb.st_ino;
}

/*
 * Is the object mapped at lm the file now at path?  The file at the name it
 * was mapped from may have been replaced since (a restore): the identity of
 * the mapping itself is in /proc/self/maps; elsewhere, the name's.
 */
static int
mapped_is(const struct link_map *lm, const char *path)
{
	struct stat st;
	FILE *f;
	char line[512];
	int found = 0, same = 0;

	if (stat(path, &st) != 0)
		return 0;
	if ((f = fopen("/proc/self/maps", "re")) != NULL) {
		while (!found && fgets(line, sizeof(line), f) != NULL) {
			unsigned long start, maj, min;
			unsigned long long ino;

			if (sscanf(line, "%lx-%*x %*s %*x %lx:%lx %llu", &start, &maj, &min, &ino) == 4 &&
			    start == (unsigned long)lm->l_addr) {
				found = 1;
				same = makedev(maj, min) == st.st_dev && (ino_t)ino == st.st_ino;
			}
		}
		fclose(f);
	}
	return found ? same : same_file(lm->l_name, path);
}

/* Another object of the base namespace with name's soname (name: a path). */
static int
soname_taken(const char *name, char *why, size_t n)
{
	const char *base = strrchr(name, '/');
	struct link_map *lm = NULL;
	void *self = dlopen(NULL, RTLD_NOW);

	if (self == NULL)
		return 0;
	base = base ? base + 1 : name;
	if (dlinfo(self, RTLD_DI_LINKMAP, &lm) == 0 && lm != NULL) {
		while (lm->l_prev != NULL)
			lm = lm->l_prev;
		for (; lm != NULL; lm = lm->l_next) {
			if (lm->l_name == NULL || lm->l_name[0] != '/' ||
			    strcmp(soname_of(lm), base) != 0 || mapped_is(lm, name))
				continue;
			snprintf(why, n, "the process already maps another %s (%s), and the dynamic "
			    "linker would hand that one to the library", base, lm->l_name);
			dlclose(self);
			return 1;
		}
	}
	dlclose(self);
	return 0;
}

int
dlssl__dl_base_conflict(const char *ssl, const char *crypto, char *why, size_t n)
{
	void *p, *h;
	dl_fp fp;
	Dl_info di;
	int own = 0;

	if ((ssl[0] == '/' && soname_taken(ssl, why, n)) ||
	    (crypto != NULL && crypto[0] == '/' && soname_taken(crypto, why, n)))
		return 1;
	/* OpenSSL symbols in the global scope: unversioned ones would bind there. */
	if ((fp = dlssl__dl_global_sym("OpenSSL_version_num")) == NULL &&
	    (fp = dlssl__dl_global_sym("SSLeay")) == NULL)
		return 0;
	memcpy(&p, &fp, sizeof(p));
	if (dladdr(p, &di) == 0 || di.dli_fname == NULL)
		return 0;
	if (crypto != NULL && crypto[0] == '/')
		own = same_file(crypto, di.dli_fname);
	else if ((h = dlopen(crypto != NULL ? crypto : ssl, RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD)) != NULL) {
		/* Already mapped: that object is what a load would give. */
		own = dlsym(h, "OpenSSL_version_num") == p || dlsym(h, "SSLeay") == p;
		dlclose(h);
	}
	if (own)
		return 0;
	snprintf(why, n, "the process exports another OpenSSL's symbols to every library (%s), "
	    "and the library's own calls could bind to them", di.dli_fname);
	return 1;
}

#else /* no namespaces */

int
dlssl__dl_base_conflict(const char *ssl, const char *crypto, char *why, size_t n)
{
	(void)ssl;
	(void)crypto;
	(void)why;
	(void)n;
	return 0;
}

void
dlssl__dl_ns_keep_spare(long ns)
{
	(void)ns;
}

int
dlssl__dl_ns_supported(void)
{
	return 0;
}

void *
dlssl__dl_open_ns(const char *name, long *ns, int noload, char *err, size_t errlen)
{
	if (*ns == DL_NS_BASE)
		return dlssl__dl_open(name, noload, err, errlen);
	snprintf(err, errlen, "this platform has no link-map namespaces (dlmopen)");
	return NULL;
}

void *
dlssl__dl_ns_handle_of(dl_fp fp, long ns)
{
	return ns == DL_NS_BASE ? dlssl__dl_handle_of(fp) : NULL;
}

dl_fp
dlssl__dl_ns_libc_sym(long ns, const char *name)
{
	(void)ns;
	(void)name;
	return NULL;
}

#endif
