/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "trawl/status.h"

const char *
trawl_status_str(trawl_status_t status)
{
	switch (status) {
	case TRAWL_OK: return "ok";
	case TRAWL_ENOMEM: return "out of memory";
	case TRAWL_EIO: return "input/output error";
	case TRAWL_EINVAL: return "invalid argument";
	case TRAWL_ENOTFOUND: return "not found";
	case TRAWL_EFORMAT: return "malformed input";
	case TRAWL_ELIMIT: return "limit exceeded";
	case TRAWL_EENCRYPTED: return "encrypted";
	case TRAWL_EUNSUPPORTED: return "unsupported format";
	case TRAWL_EINTR: return "interrupted";
	case TRAWL_ELOCKED: return "index locked by another process";
	case TRAWL_ECORRUPT: return "index corrupt";
	case TRAWL_EMODIFIED: return "index modified during read";
	case TRAWL_EINDEX: return "index error";
	case TRAWL_ERULES: return "invalid rules";
	case TRAWL_EEXISTS: return "already exists";
	case TRAWL_EINTERNAL: return "internal error";
	}
	return "unknown status";
}
