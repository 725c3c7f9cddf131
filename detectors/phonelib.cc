/* The one C++ file behind detectors/phonelib.h. Nothing C++ crosses the
 * boundary: every entry point is noexcept, catches everything and turns it
 * into a trawl_status_t.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "detectors/phonelib.h"

#include <cstring>
#include <map>
#include <new>
#include <set>
#include <string>
#include <unordered_map>

#include <phonenumbers/geocoding/phonenumber_offline_geocoder.h>
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberOfflineGeocoder;
using i18n::phonenumbers::PhoneNumberUtil;

namespace {

/* The library's singleton; GetInstance() takes a lock on every call. */
const PhoneNumberUtil *
lib()
{
	static const PhoneNumberUtil *const util = PhoneNumberUtil::GetInstance();
	return util;
}

/* Copies s into a fixed buffer, cutting it short rather than overflowing. */
template <size_t N>
void
copy_out(char (&dst)[N], const std::string &s)
{
	size_t n = s.size() < N - 1 ? s.size() : N - 1;
	std::memcpy(dst, s.data(), n);
	dst[n] = '\0';
}

/* Countries whose plan has, at most, a plain trunk prefix to take off a
 * national number (libphonenumber's metadata for them has no other national
 * prefix rule): their national numbers can be built from the digits
 * directly. A detector asks about the same digits in each of these in turn,
 * and Parse(), which scans free text with a dozen regular expressions, costs
 * more than everything else together. */
const char *const plain_trunk_regions[] = {"DE", "AT", "CH", "GB", "IE", "US", "CA",
                                           "FR", "BE", "NL", "IT", "ES", "PT", "PL"};

bool
plain_trunk(const std::string &region)
{
	for (const char *r : plain_trunk_regions)
		if (region == r)
			return true;
	return false;
}

bool
all_digits(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (text[i] < '0' || text[i] > '9')
			return false;
	return len > 0;
}

/* Sets the national significant number from its digits; leading zeros of
 * the number itself (Italy) are kept as a flag and a count. */
bool
set_nsn(PhoneNumber *num, int cc, const std::string &nsn)
{
	/* the plans' lengths (libphonenumber: 2 to 17 digits) */
	if (nsn.size() < 2 || nsn.size() > 17)
		return false;
	num->Clear();
	num->set_country_code(cc);
	num->set_national_number(std::stoull(nsn));
	size_t zeros = 0;
	while (zeros + 1 < nsn.size() && nsn[zeros] == '0')
		zeros++;
	if (zeros) {
		num->set_italian_leading_zero(true);
		if (zeros > 1)
			num->set_number_of_leading_zeros(static_cast<int>(zeros));
	}
	return true;
}

/* An international number "+<digits>" of a country of plain_trunk_regions[]
 * built directly: the country code is the one prefix of the digits that is
 * assigned (codes are prefix-free), a trunk prefix after it ("+49 (0)30") is
 * dropped when the number is only valid without. Fills *region; false when
 * the digits make no valid number this way (Parse() then has the last
 * word; other countries have national prefix rules of their own, Mexico's
 * mobile 1 say). */
bool
build_international(const PhoneNumberUtil *util, const char *text, size_t len, PhoneNumber *num,
                    std::string *region)
{
	if (len < 4 || text[0] != '+' || !all_digits(text + 1, len - 1))
		return false;
	const std::string digits(text + 1, len - 1);
	for (size_t k = 1; k <= 3; k++) {
		int cc = std::stoi(digits.substr(0, k));
		std::string home;
		util->GetRegionCodeForCountryCode(cc, &home);
		if (home == "ZZ")
			continue;
		if (!plain_trunk(home))
			return false;
		std::string nsn = digits.substr(k);
		if (!set_nsn(num, cc, nsn))
			return false;
		util->GetRegionCodeForNumber(*num, region);
		if (util->IsValidNumberForRegion(*num, *region))
			return true;
		std::string trunk;
		util->GetNddPrefixForRegion(home, true, &trunk);
		if (trunk.empty() || nsn.compare(0, trunk.size(), trunk) != 0 ||
		    !set_nsn(num, cc, nsn.substr(trunk.size())))
			return false;
		util->GetRegionCodeForNumber(*num, region);
		return util->IsValidNumberForRegion(*num, *region);
	}
	return false;
}

/* A national number of one of plain_trunk_regions[] from bare digits, as
 * Parse() would build it; false when the digits cannot be one. */
bool
build_national(const PhoneNumberUtil *util, const char *text, size_t len, const std::string &reg,
               PhoneNumber *num)
{
	int cc = plain_trunk(reg) ? util->GetCountryCodeForRegion(reg) : 0;
	if (!cc || !all_digits(text, len))
		return false;
	std::string trunk;
	util->GetNddPrefixForRegion(reg, true, &trunk);
	std::string nsn(text, len);
	if (!trunk.empty() && nsn.compare(0, trunk.size(), trunk) == 0)
		nsn.erase(0, trunk.size());
	return set_nsn(num, cc, nsn);
}

trawl_status_t
parse(trawl_phonelib_number_t *out, const char *text, size_t len, const char *region)
{
	const PhoneNumberUtil *util = lib();
	/* "ZZ" is libphonenumber's "no region": only +CC numbers parse. */
	const std::string reg = region && *region ? region : "ZZ";
	PhoneNumber num;
	/* Digits that begin with the country's own code may be that code
	 * written without its +: Parse() knows how to weigh that. */
	std::string home;
	bool built = region && *region && build_national(util, text, len, reg, &num);
	bool valid = built && util->IsValidNumberForRegion(num, reg);
	if (built && !valid) {
		std::string cc = std::to_string(num.country_code());
		built = std::string(text, len).compare(0, cc.size(), cc) != 0;
	}
	if (built) {
		out->from_region = true;
		home = reg;
	} else if (build_international(util, text, len, &num, &home)) {
		built = valid = true;
		out->from_region = false;
	} else {
		num.Clear();
		/* The raw-input variant records where the country code came from;
		 * it is needed only when a region could have supplied one. */
		PhoneNumberUtil::ErrorType err = region && *region
		                                         ? util->ParseAndKeepRawInput(std::string(text, len), reg, &num)
		                                         : util->Parse(std::string(text, len), reg, &num);
		if (err != PhoneNumberUtil::NO_PARSING_ERROR)
			return TRAWL_EFORMAT;
		/* "1 415 555 0134" with region US: libphonenumber takes the 1 for
		 * the country code, but it is the national trunk prefix there */
		out->from_region = region && *region &&
		                   (num.country_code_source() == PhoneNumber::FROM_DEFAULT_COUNTRY ||
		                    (num.country_code_source() == PhoneNumber::FROM_NUMBER_WITHOUT_PLUS_SIGN &&
		                     num.country_code() == util->GetCountryCodeForRegion(reg)));
	}
	out->country_code = num.country_code();
	std::string s;
	util->Format(num, PhoneNumberUtil::E164, &s);
	copy_out(out->e164, s);
	/* Validation first: it and formatting run regular expressions, and most
	 * candidates a detector asks about are not valid. The region of an
	 * international number is looked up once and validated against, which
	 * is what IsValidNumber() would do after the same lookup. */
	if (!built) {
		if (out->from_region)
			home = reg;
		else
			util->GetRegionCodeForNumber(num, &home);
		valid = util->IsValidNumberForRegion(num, home);
	}
	if (!valid)
		return TRAWL_ENOTFOUND;
	if (out->from_region) {
		s.clear();
		util->Format(num, PhoneNumberUtil::NATIONAL, &s);
		copy_out(out->national, s);
	}
	if (home.size() != 2 || home == "ZZ")
		home.clear();
	copy_out(out->region, home);
	return TRAWL_OK;
}

/* One geocoder for the process, built on first use (a function-local static
 * is initialised once, thread-safely); it loads its area maps lazily under
 * its own mutex, so sharing it between threads is safe. */
const PhoneNumberOfflineGeocoder &
geocoder()
{
	static const PhoneNumberOfflineGeocoder geo;
	return geo;
}

/* The English name of a region, which is what the geocoder says of a number
 * when it knows no area: built once for every region libphonenumber knows
 * (ICU's display names are slow to look up one at a time). */
const std::string &
country_name(const std::string &region)
{
	static const std::map<std::string, std::string> names = [] {
		std::map<std::string, std::string> m;
		std::set<std::string> regions;
		lib()->GetSupportedRegions(&regions);
		const icu::Locale en("en");
		for (const std::string &r : regions) {
			icu::UnicodeString name;
			icu::Locale("", r.c_str()).getDisplayCountry(en, name);
			name.toUTF8String(m[r]);
		}
		return m;
	}();
	static const std::string none;
	auto it = names.find(region);
	return it == names.end() ? none : it->second;
}

bool
placed(const char *e164)
{
	const PhoneNumberUtil *util = lib();
	PhoneNumber num;
	if (util->Parse(e164, "ZZ", &num) != PhoneNumberUtil::NO_PARSING_ERROR)
		return false;
	std::string region;
	util->GetRegionCodeForNumber(num, &region);
	if (!util->IsValidNumberForRegion(num, region))
		return false;
	PhoneNumberUtil::PhoneNumberType t = util->GetNumberType(num);
	if (t != PhoneNumberUtil::FIXED_LINE && t != PhoneNumberUtil::FIXED_LINE_OR_MOBILE)
		return true;
	std::string desc = geocoder().GetDescriptionForNumber(num, icu::Locale("en"));
	return !desc.empty() && desc != country_name(region);
}

/* Answers by question, per thread. The same numbers come back in message
 * after message (a signature, a colleague's number), and each costs
 * libphonenumber tens of microseconds; one thread's cache needs no lock.
 * Bounded: emptied when full. */
constexpr size_t cache_max = 4096;

struct parsed_t {
	trawl_status_t rc;
	trawl_phonelib_number_t num;
};

trawl_status_t
parse_cached(trawl_phonelib_number_t *out, const char *text, size_t len, const char *region)
{
	thread_local std::unordered_map<std::string, parsed_t> cache;
	std::string key(region ? region : "");
	key.push_back('|');
	key.append(text, len);
	auto it = cache.find(key);
	if (it != cache.end()) {
		*out = it->second.num;
		return it->second.rc;
	}
	trawl_status_t rc = parse(out, text, len, region);
	if (rc == TRAWL_OK || rc == TRAWL_ENOTFOUND || rc == TRAWL_EFORMAT) {
		if (cache.size() >= cache_max)
			cache.clear();
		cache.emplace(std::move(key), parsed_t{rc, *out});
	}
	return rc;
}

bool
placed_cached(const char *e164)
{
	thread_local std::unordered_map<std::string, bool> cache;
	auto it = cache.find(e164);
	if (it != cache.end())
		return it->second;
	bool p = placed(e164);
	if (cache.size() >= cache_max)
		cache.clear();
	cache.emplace(e164, p);
	return p;
}

} // namespace

extern "C" trawl_status_t
trawl_phonelib__parse(trawl_phonelib_number_t *out, const char *text, size_t len, const char *region) noexcept
{
	if (!out || (!text && len))
		return TRAWL_EINVAL;
	std::memset(out, 0, sizeof *out);
	try {
		return parse_cached(out, text ? text : "", len, region);
	} catch (const std::bad_alloc &) {
		return TRAWL_ENOMEM;
	} catch (...) {
		return TRAWL_EINTERNAL;
	}
}

extern "C" int
trawl_phonelib__country_code(const char *region) noexcept
{
	if (!region)
		return 0;
	try {
		return lib()->GetCountryCodeForRegion(region);
	} catch (...) {
		return 0;
	}
}

extern "C" trawl_status_t
trawl_phonelib__placed(bool *out, const char *e164) noexcept
{
	if (!out || !e164)
		return TRAWL_EINVAL;
	*out = false;
	try {
		*out = placed_cached(e164);
		return TRAWL_OK;
	} catch (const std::bad_alloc &) {
		return TRAWL_ENOMEM;
	} catch (...) {
		return TRAWL_EINTERNAL;
	}
}
