/* Outlook .msg bytes (OLE compound files) read as a .msg whatever they
 * sniff as (oxmsg.c): the compound file (header, allocation tables,
 * directory, mini stream) read from memory, its storages and streams
 * written out as TNEF, then read as TNEF is. Seeds: fixtures/msg.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "fuzz/fuzz.h"

#include "scanner/scanner.h"

int
trawl_fuzz_oxmsg(const uint8_t *data, size_t size)
{
	trawl_fuzz__scan_as(data, size, "fuzz.msg", TRAWL_KIND_OXMSG);
	return 0;
}

TRAWL_FUZZ_ENTRY(trawl_fuzz_oxmsg)
