/* The Xapian wrapper: the only C++ of the index module.
 *
 * Every extern "C" function is noexcept and funnels its exceptions through
 * fail(), which maps them to status codes and keeps the message on the
 * handle. Nothing but the handle's own members is C++.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "index/xdb.h"

#include <xapian.h>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

struct trawl_xdb {
	Xapian::Database db;          /* for reading; the same object as wdb when writable */
	Xapian::WritableDatabase wdb;
	bool writable = false;
	bool in_txn = false;          /* a transaction is open: changes are ours to cancel */
	std::string error;
};

namespace {

/* Maps the exception being handled to a status and notes its message.
 * Call only from inside a catch block. */
trawl_status_t
fail(trawl_xdb_t *h) noexcept
{
	trawl_status_t rc;
	const char *what = "";
	std::string detail;
	try {
		throw;
	} catch (const Xapian::DatabaseLockError &e) {
		rc = TRAWL_ELOCKED;
		detail = e.get_description();
	} catch (const Xapian::DatabaseCorruptError &e) {
		rc = TRAWL_ECORRUPT;
		detail = e.get_description();
	} catch (const Xapian::DatabaseModifiedError &e) {
		rc = TRAWL_EMODIFIED;
		detail = e.get_description();
	} catch (const Xapian::DatabaseVersionError &e) {
		/* An index of another format version: there is one, so "not found"
		 * would mislead. */
		rc = TRAWL_EINDEX;
		detail = e.get_description();
	} catch (const Xapian::DatabaseOpeningError &e) {
		/* DatabaseNotFoundError is a DatabaseOpeningError */
		rc = TRAWL_ENOTFOUND;
		detail = e.get_description();
	} catch (const Xapian::Error &e) {
		rc = TRAWL_EINDEX;
		detail = e.get_description();
	} catch (const std::bad_alloc &) {
		rc = TRAWL_ENOMEM;
		what = "out of memory";
	} catch (const std::exception &e) {
		rc = TRAWL_EINTERNAL;
		what = e.what();
	} catch (...) {
		rc = TRAWL_EINTERNAL;
		what = "unexpected exception";
	}
	if (h) {
		try {
			h->error = detail.empty() ? std::string(what) : detail;
		} catch (...) {
			h->error.clear();
		}
	}
	return rc;
}

void
note(trawl_xdb_t *h, const char *msg) noexcept
{
	try {
		h->error = msg;
	} catch (...) {
		h->error.clear();
	}
}

Xapian::Document
make_doc(const trawl_xdb_doc_t *d)
{
	Xapian::Document doc;
	std::string data(static_cast<const char *>(d->data), d->data_len);
	if (d->source_record)
		doc.add_value(TRAWL_XDB_SLOT_SOURCE, data);
	else
		doc.set_data(data);
	if (d->links_len)
		doc.add_value(TRAWL_XDB_SLOT_LINKS, std::string(static_cast<const char *>(d->links), d->links_len));
	for (size_t i = 0; i < d->n_terms; i++) {
		if (d->terms[i].wdf)
			doc.add_term(d->terms[i].name, d->terms[i].wdf);
		else
			doc.add_boolean_term(d->terms[i].name);
	}
	return doc;
}

/* Reads one of Xapian's packed unsigned integers (pack_uint: 7 bits a
 * byte, least significant first, the top bit set on all but the last). */
bool
unpack_uint(const unsigned char *&p, const unsigned char *end, unsigned long long *out)
{
	unsigned long long v = 0;
	for (unsigned shift = 0; p < end && shift < 64; shift += 7) {
		unsigned char c = *p++;
		v |= static_cast<unsigned long long>(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			*out = v;
			return true;
		}
	}
	return false;
}

/* Where glass's version file (iamglass, buf[0..len)) keeps one table's
 * compress_min, or -1 when the file is not laid out as Xapian 1.4's
 * glass_version.cc writes it: a 16-byte magic and format version, a 16-byte
 * UUID, the revision, then a root record per table (postlist, docdata,
 * termlist, ...), each the root block, flags, entry count, block size,
 * compress_min (all pack_uint) and the free list (pack_string). */
long
compress_min_at(const unsigned char *buf, size_t len, trawl_xdb_table_t which)
{
	static const char magic[] = "\x0f\x0dXapian Glass";
	const unsigned char *p = buf + 32, *end = buf + len;
	unsigned long long v;
	if (len < 32 || memcmp(buf, magic, sizeof magic - 1) != 0 || !unpack_uint(p, end, &v))
		return -1;
	for (unsigned table = 0;; table++) {
		for (int field = 0; field < 4; field++)
			if (!unpack_uint(p, end, &v))
				return -1;
		long at = static_cast<long>(p - buf);
		if (!unpack_uint(p, end, &v))
			return -1;
		if (table == static_cast<unsigned>(which))
			return at;
		if (!unpack_uint(p, end, &v) || v > static_cast<unsigned long long>(end - p))
			return -1;
		p += v;
	}
}

/* Removes the folder a database was being made in (flat: Xapian's files). */
void
remove_flat_dir(const std::string &dir) noexcept
{
	if (DIR *d = opendir(dir.c_str())) {
		while (struct dirent *e = readdir(d))
			if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, ".."))
				(void)unlinkat(dirfd(d), e->d_name, 0);
		closedir(d);
	}
	(void)rmdir(dir.c_str());
}

/* The version file of the database in dir, opened with flags (and closed
 * by the caller) and its start read as GlassVersion::read() reads it. False
 * when it cannot be opened or read (errno says why; nothing is left open). */
struct version_file {
	int fd = -1;
	unsigned char buf[256];
	size_t len = 0;
};

bool
read_version(const std::string &dir, int flags, version_file &v)
{
	v.fd = open((dir + "/iamglass").c_str(), flags | O_CLOEXEC);
	if (v.fd < 0)
		return false;
	ssize_t n = pread(v.fd, v.buf, sizeof v.buf, 0);
	if (n <= 0) {
		int e = n < 0 ? errno : EIO;
		close(v.fd);
		v.fd = -1;
		errno = e;
		return false;
	}
	v.len = static_cast<size_t>(n);
	return true;
}

/* Makes the database at path, which does not exist yet, with term lists
 * and document data stored as they are. Glass deflates every term list and
 * every document's data over 18 bytes as it stores a document; a message
 * record's terms are keyed hashes, which do not compress (the bench's 200
 * MB index: 221 MB deflated, 226 MB not), and zlib was a quarter of the
 * writer thread's time (trawl scan of that mbox, two threads: 8.6-9.5 s
 * with it, 7.7 s without); deflating the records too made the writer three
 * times as slow. Xapian has no call for it: the threshold is a field of
 * each table's record in the version file, "0 for no compression"
 * (glass_version.h), set when the database is made and kept by every
 * commit. So the database is made in a folder of its own, those bytes set
 * to 0, and the folder moved into place; a database someone else made
 * there meanwhile wins, and a version file not laid out as expected is left
 * as it is (the index works, deflated). */
void
create_undeflated(const char *path)
{
	std::string tmp = std::string(path) + ".new.XXXXXX";
	if (!mkdtemp(&tmp[0]))
		throw Xapian::DatabaseCreateError(std::string(path) + ": cannot make a folder beside it", errno);
	try {
		Xapian::WritableDatabase(tmp, Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS).close();
		version_file v;
		if (!read_version(tmp, O_RDWR, v))
			throw Xapian::DatabaseCreateError(tmp + "/iamglass: cannot read", errno);
		bool ok = true;
		for (trawl_xdb_table_t table : {TRAWL_XDB_DOCDATA, TRAWL_XDB_TERMLIST}) {
			long at = compress_min_at(v.buf, v.len, table);
			if (ok && at >= 0 && v.buf[at] == 18 /* glass_version.cc's COMPRESS_MIN */)
				ok = pwrite(v.fd, "", 1, at) == 1;
		}
		ok = ok && fsync(v.fd) == 0;
		int e = errno;
		close(v.fd);
		if (!ok)
			throw Xapian::DatabaseCreateError(tmp + "/iamglass: cannot write", e);
		if (rename(tmp.c_str(), path) < 0) {
			if (errno != EEXIST && errno != ENOTEMPTY)
				throw Xapian::DatabaseCreateError(std::string(path) + ": cannot move the new database into place", errno);
			remove_flat_dir(tmp);
		}
	} catch (...) {
		remove_flat_dir(tmp);
		throw;
	}
}

} // namespace

extern "C" long
trawl_xdb__compress_min(const char *path, trawl_xdb_table_t table) noexcept
{
	try {
		version_file v;
		if (!read_version(path, O_RDONLY, v))
			return -1;
		close(v.fd);
		long at = compress_min_at(v.buf, v.len, table);
		if (at < 0)
			return -1;
		const unsigned char *p = v.buf + at;
		unsigned long long min;
		return unpack_uint(p, v.buf + v.len, &min) ? static_cast<long>(min) : -1;
	} catch (...) {
		return -1;
	}
}

extern "C" trawl_status_t
trawl_xdb__open(trawl_xdb_t **out, const char *path, bool writable) noexcept
{
	*out = nullptr;
	trawl_xdb_t *h = new (std::nothrow) trawl_xdb_t;
	if (!h)
		return TRAWL_ENOMEM;
	*out = h;
	try {
		if (writable) {
			struct stat st;
			if (stat(path, &st) < 0 && errno == ENOENT)
				create_undeflated(path);
			h->wdb = Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN);
			h->db = h->wdb;
			h->writable = true;
			h->wdb.begin_transaction(true);
			h->in_txn = true;
		} else {
			h->db = Xapian::Database(path);
		}
	} catch (...) {
		return fail(h);
	}
	return TRAWL_OK;
}

extern "C" trawl_status_t
trawl_xdb__get_meta(trawl_xdb_t *h, const char *key, char **out, uint64_t *doccount) noexcept
{
	*out = nullptr;
	try {
		std::string v = h->db.get_metadata(key);
		*doccount = h->db.get_doccount();
		*out = static_cast<char *>(malloc(v.size() + 1));
		if (!*out)
			return TRAWL_ENOMEM;
		memcpy(*out, v.data(), v.size());
		(*out)[v.size()] = '\0';
	} catch (...) {
		return fail(h);
	}
	return TRAWL_OK;
}


extern "C" void
trawl_xdb__free(trawl_xdb_t *h) noexcept
{
	if (!h)
		return;
	try {
		if (h->writable) {
			/* Cancel first: close() and the destructor commit when no
			 * transaction is active, and we never change anything outside
			 * one, so after this there is nothing left to commit. */
			if (h->in_txn) {
				h->in_txn = false;
				h->wdb.cancel_transaction();
			}
			h->wdb.close();
		} else {
			h->db.close();
		}
	} catch (...) {
		/* Nothing to report to: the handle is going. The transaction is
		 * cancelled even when cancel_transaction() throws. */
	}
	delete h;
}

extern "C" const char *
trawl_xdb__last_error(const trawl_xdb_t *h) noexcept
{
	return h ? h->error.c_str() : "";
}

static bool
check_writable(trawl_xdb_t *h) noexcept
{
	if (h->writable && h->in_txn)
		return true;
	note(h, h->writable ? "the index transaction failed earlier; reopen the index"
	                    : "the index is open read-only");
	return false;
}

extern "C" trawl_status_t
trawl_xdb__set_meta(trawl_xdb_t *h, const char *key, const char *value) noexcept
{
	if (!check_writable(h))
		return TRAWL_EINVAL;
	try {
		h->wdb.set_metadata(key, value);
	} catch (...) {
		return fail(h);
	}
	return TRAWL_OK;
}

extern "C" trawl_status_t
trawl_xdb__replace(trawl_xdb_t *h, const char *unique_term, const trawl_xdb_doc_t *doc) noexcept
{
	if (!check_writable(h))
		return TRAWL_EINVAL;
	try {
		h->wdb.replace_document(unique_term, make_doc(doc));
	} catch (...) {
		return fail(h);
	}
	return TRAWL_OK;
}

extern "C" trawl_status_t
trawl_xdb__add(trawl_xdb_t *h, const trawl_xdb_doc_t *doc) noexcept
{
	if (!check_writable(h))
		return TRAWL_EINVAL;
	try {
		h->wdb.add_document(make_doc(doc));
	} catch (...) {
		return fail(h);
	}
	return TRAWL_OK;
}

struct trawl_xdb_built {
	Xapian::Document doc;
};

extern "C" trawl_status_t
trawl_xdb__build(const trawl_xdb_doc_t *doc, trawl_xdb_built_t **out) noexcept
{
	*out = nullptr;
	try {
		*out = new trawl_xdb_built_t{make_doc(doc)};
	} catch (const std::bad_alloc &) {
		return TRAWL_ENOMEM;
	} catch (...) {
		return TRAWL_EINTERNAL;
	}
	return TRAWL_OK;
}

extern "C" void
trawl_xdb__built_free(trawl_xdb_built_t *built) noexcept
{
	delete built;
}

extern "C" trawl_status_t
trawl_xdb__add_built(trawl_xdb_t *h, const trawl_xdb_built_t *built) noexcept
{
	if (!check_writable(h))
		return TRAWL_EINVAL;
	try {
		h->wdb.add_document(built->doc);
	} catch (...) {
		return fail(h);
	}
	return TRAWL_OK;
}

extern "C" trawl_status_t
trawl_xdb__delete(trawl_xdb_t *h, const char *term) noexcept
{
	if (!check_writable(h))
		return TRAWL_EINVAL;
	try {
		h->wdb.delete_document(term);
	} catch (...) {
		return fail(h);
	}
	return TRAWL_OK;
}

extern "C" trawl_status_t
trawl_xdb__commit(trawl_xdb_t *h) noexcept
{
	if (!check_writable(h))
		return TRAWL_EINVAL;
	try {
		/* Whether it succeeds or throws, the transaction is over. */
		h->in_txn = false;
		h->wdb.commit_transaction();
		h->wdb.begin_transaction(true);
		h->in_txn = true;
	} catch (...) {
		return fail(h);
	}
	return TRAWL_OK;
}

extern "C" trawl_status_t
trawl_xdb__term_freq(trawl_xdb_t *h, const char *term, uint64_t *out, uint64_t *coll) noexcept
{
	*out = 0;
	if (coll)
		*coll = 0;
	for (int attempt = 0;; attempt++) {
		try {
			*out = h->db.get_termfreq(term);
			if (coll)
				*coll = h->db.get_collection_freq(term);
			return TRAWL_OK;
		} catch (const Xapian::DatabaseModifiedError &) {
			if (attempt >= 3)
				return fail(h);
			try {
				h->db.reopen();
			} catch (...) {
				return fail(h);
			}
		} catch (...) {
			return fail(h);
		}
	}
}

namespace {

/* each_in_slot()'s slot for the document data, which no value slot is. */
const unsigned DOC_DATA = Xapian::BAD_VALUENO;

/* The body of trawl_xdb__each_id() and trawl_xdb__each_value(): slot's
 * value (or the data, DOC_DATA) of each document holding any of the n
 * terms, or of every document with a value in slot when terms is NULL (its
 * value stream: no query; not for DOC_DATA). */
trawl_status_t
each_in_slot(trawl_xdb_t *h, unsigned slot, bool skip_empty, const char *const *terms, size_t n,
             trawl_xdb_doc_fn fn, void *payload) noexcept
{
	if (terms && n == 0)
		return TRAWL_OK;
	try {
		if (!terms) {
			for (Xapian::ValueIterator v = h->db.valuestream_begin(slot); v != h->db.valuestream_end(slot);
			     ++v) {
				std::string value = *v;
				trawl_status_t rc = fn(static_cast<uint32_t>(v.get_docid()), value.data(), value.size(), payload);
				if (rc != TRAWL_OK)
					return rc;
			}
			return TRAWL_OK;
		}
		Xapian::Query q;
		if (n == 1) {
			q = Xapian::Query(terms[0]);
		} else {
			std::vector<std::string> v(terms, terms + n);
			q = Xapian::Query(Xapian::Query::OP_OR, v.begin(), v.end());
		}
		Xapian::Enquire enq(h->db);
		enq.set_query(q);
		enq.set_weighting_scheme(Xapian::BoolWeight());
		enq.set_docid_order(Xapian::Enquire::ASCENDING);
		Xapian::MSet mset = enq.get_mset(0, h->db.get_doccount());
		for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
			Xapian::Document doc = it.get_document();
			std::string value = slot == DOC_DATA ? doc.get_data() : doc.get_value(slot);
			if (skip_empty && value.empty())
				continue;
			trawl_status_t rc = fn(static_cast<uint32_t>(*it), value.data(), value.size(), payload);
			if (rc != TRAWL_OK)
				return rc;
		}
	} catch (const Xapian::DatabaseModifiedError &) {
		trawl_status_t rc = fail(h);
		try {
			h->db.reopen();
		} catch (...) {
			return fail(h);
		}
		return rc;
	} catch (...) {
		return fail(h);
	}
	return TRAWL_OK;
}

} // namespace

extern "C" trawl_status_t
trawl_xdb__each_id(trawl_xdb_t *h, const char *const *terms, size_t n, trawl_xdb_doc_fn fn,
                   void *payload) noexcept
{
	if (n == 0)
		return TRAWL_OK;
	return each_in_slot(h, DOC_DATA, false, terms, n, fn, payload);
}

extern "C" trawl_status_t
trawl_xdb__each_value(trawl_xdb_t *h, unsigned slot, const char *const *terms, size_t n, trawl_xdb_doc_fn fn,
                      void *payload) noexcept
{
	return each_in_slot(h, slot, true, terms, n, fn, payload);
}

namespace {
struct data_only {
	trawl_xdb_data_fn fn;
	void *payload;
};

trawl_status_t
drop_id(uint32_t docid, const void *data, size_t len, void *payload)
{
	(void)docid;
	const data_only *d = static_cast<const data_only *>(payload);
	return d->fn(data, len, d->payload);
}
} // namespace

extern "C" trawl_status_t
trawl_xdb__each(trawl_xdb_t *h, const char *const *terms, size_t n, trawl_xdb_data_fn fn,
                void *payload) noexcept
{
	data_only d = {fn, payload};
	return trawl_xdb__each_id(h, terms, n, drop_id, &d);
}

extern "C" trawl_status_t
trawl_xdb__rewrite_id(trawl_xdb_t *h, uint32_t docid, unsigned slot, const void *value, size_t len,
                      const char *const *remove, size_t n) noexcept
{
	if (!check_writable(h))
		return TRAWL_EINVAL;
	try {
		Xapian::Document doc = h->wdb.get_document(static_cast<Xapian::docid>(docid));
		if (len)
			doc.add_value(slot, std::string(static_cast<const char *>(value), len));
		else
			doc.remove_value(slot);
		for (size_t i = 0; i < n; i++) {
			try {
				doc.remove_term(remove[i]);
			} catch (const Xapian::InvalidArgumentError &) {
				/* not on it: nothing to take off */
			}
		}
		h->wdb.replace_document(static_cast<Xapian::docid>(docid), doc);
	} catch (...) {
		return fail(h);
	}
	return TRAWL_OK;
}

extern "C" trawl_status_t
trawl_xdb__replace_id(trawl_xdb_t *h, uint32_t docid, const trawl_xdb_doc_t *doc) noexcept
{
	if (!check_writable(h))
		return TRAWL_EINVAL;
	try {
		h->wdb.replace_document(static_cast<Xapian::docid>(docid), make_doc(doc));
	} catch (...) {
		return fail(h);
	}
	return TRAWL_OK;
}

extern "C" trawl_status_t
trawl_xdb__replace_built_id(trawl_xdb_t *h, uint32_t docid, const trawl_xdb_built_t *built) noexcept
{
	if (!check_writable(h))
		return TRAWL_EINVAL;
	try {
		h->wdb.replace_document(static_cast<Xapian::docid>(docid), built->doc);
	} catch (...) {
		return fail(h);
	}
	return TRAWL_OK;
}

extern "C" trawl_status_t
trawl_xdb__delete_id(trawl_xdb_t *h, uint32_t docid) noexcept
{
	if (!check_writable(h))
		return TRAWL_EINVAL;
	try {
		h->wdb.delete_document(static_cast<Xapian::docid>(docid));
	} catch (const Xapian::DocNotFoundError &) {
		/* already gone: what was asked for is true */
	} catch (...) {
		return fail(h);
	}
	return TRAWL_OK;
}
