/* The one C++ file behind detectors/phonelib.h. Nothing C++ crosses the
 * boundary: every entry point is noexcept, catches everything and turns it
 * into a trawl_status_t.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "detectors/phonelib.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <deque>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <set>
#include <string>
#include <vector>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <phonenumbers/geocoding/phonenumber_offline_geocoder.h>
#include <phonenumbers/phonemetadata.pb.h>
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

/* The metadata libphonenumber is built with (its metadata.h, not installed). */
namespace i18n {
namespace phonenumbers {
int metadata_size();
const void *metadata_get();
} // namespace phonenumbers
} // namespace i18n

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

/* ---- the plans of the countries asked about most, without the library ----
 *
 * Validating a number and writing it the national way are each a dozen
 * regular expressions of the country's plan. libphonenumber runs them with
 * ICU: every match looks its pattern up in a locked cache (hashing a pattern
 * of up to a few thousand characters), builds a matcher and converts the
 * digits to UTF-16, some tens of microseconds a question, and the lock is
 * one all threads share. Here the same patterns, read from the same
 * metadata the library was built with, are compiled once with PCRE2 and
 * asked in the same order, with the same rules, as PhoneNumberUtil's
 * IsValidNumberForRegion(), GetRegionCodeForNumber() and Format(NATIONAL)
 * do. What they do not cover (a pattern PCRE2 would not take, a number
 * whose country code the digits might carry) goes to the library.
 * trawl_phonelib__selfcheck() holds the two against each other. */

/* A pattern of the metadata, compiled on first use (most of the plan of most
 * countries is never needed). */
struct lazy_re {
	std::string src;
	uint32_t options = 0;
	mutable std::atomic<pcre2_code *> code{nullptr};
	mutable std::atomic<bool> failed{false};
	mutable bool jit = false; /* set before code is published */
	/* the bytes a match can start with, when PCRE2 knows them (set before
	 * code is published) */
	mutable bool have_first = false;
	mutable uint8_t first[32] = {};
	/* no match is shorter (PCRE2_INFO_MINLENGTH; set before code is
	 * published) */
	mutable uint32_t min_length = 0;

	lazy_re() = default;
	lazy_re(const lazy_re &) = delete;
	~lazy_re()
	{
		pcre2_code_free(code.load());
	}
	void set(const std::string &s, uint32_t opts)
	{
		src = s;
		options = opts;
	}
	/* the compiled pattern, or NULL when PCRE2 would not take it */
	pcre2_code *get() const
	{
		pcre2_code *c = code.load(std::memory_order_acquire);
		return c ? c : compile();
	}
	/* whether a match at from of subject s may start there at all */
	bool may_start(const std::string &s, size_t from) const
	{
		if (!have_first)
			return true;
		if (from >= s.size())
			return false; /* every match holds a byte */
		unsigned char b = static_cast<unsigned char>(s[from]);
		return (first[b / 8] >> (b % 8)) & 1;
	}

private:
	pcre2_code *compile() const;
	void set_first() const;
};

std::mutex compile_mu;

/* get() the first time: compiles the pattern, once for all threads. */
pcre2_code *
lazy_re::compile() const
{
	pcre2_code *c = nullptr;
	if (failed.load(std::memory_order_acquire))
		return c;
	std::lock_guard<std::mutex> lock(compile_mu);
	if ((c = code.load(std::memory_order_relaxed)) || failed.load(std::memory_order_relaxed))
		return c;
	int err;
	PCRE2_SIZE at;
	c = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(src.data()), src.size(), options, &err, &at, nullptr);
	if (!c) {
		failed.store(true, std::memory_order_release);
		return nullptr;
	}
	/* without JIT it still matches, slower */
	jit = pcre2_jit_compile(c, PCRE2_JIT_COMPLETE) == 0;
	if (pcre2_pattern_info(c, PCRE2_INFO_MINLENGTH, &min_length) != 0)
		min_length = 0;
	set_first();
	code.store(c, std::memory_order_release);
	return c;
}

/* Most of a plan's patterns start with a digit or two of their own ("900",
 * "1[5-7]") and are asked about numbers that start otherwise; the first
 * byte of a match, which PCRE2 works out for a pattern that is not
 * anchored (its "first code unit" or start bitmap: every match starts with
 * one of them), answers those before a match is run. The pattern as it
 * stands is anchored, so a copy without the anchors is compiled to ask. */
void
lazy_re::set_first() const
{
	int err;
	PCRE2_SIZE at;
	pcre2_code *c = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(src.data()), src.size(),
	                              options & ~(uint32_t)(PCRE2_ANCHORED | PCRE2_ENDANCHORED), &err, &at, nullptr);
	if (!c)
		return;
	uint32_t type = 0, unit = 0, opts = 0;
	const uint8_t *bitmap = nullptr;
	pcre2_pattern_info(c, PCRE2_INFO_ALLOPTIONS, &opts);
	pcre2_pattern_info(c, PCRE2_INFO_FIRSTCODETYPE, &type);
	if (!(opts & (PCRE2_CASELESS | PCRE2_UTF))) {
		/* a letter might stand for both its cases ((?i) inside) */
		if (type == 1 && pcre2_pattern_info(c, PCRE2_INFO_FIRSTCODEUNIT, &unit) == 0 && unit < 128 &&
		    !((unit | 0x20) >= 'a' && (unit | 0x20) <= 'z')) {
			first[unit / 8] = static_cast<uint8_t>(1u << (unit % 8));
			have_first = true;
		} else if (type == 0 && pcre2_pattern_info(c, PCRE2_INFO_FIRSTBITMAP, &bitmap) == 0 && bitmap) {
			std::memcpy(first, bitmap, sizeof first);
			have_first = true;
		}
	}
	pcre2_code_free(c);
}

/* Match data for this thread's matches (freed when the thread ends). */
struct match_data {
	pcre2_match_data *md = pcre2_match_data_create(32, nullptr);
	~match_data()
	{
		pcre2_match_data_free(md);
	}
};

pcre2_match_data *
thread_match_data()
{
	thread_local match_data m;
	if (!m.md)
		throw std::bad_alloc();
	return m.md;
}

/* Thrown when a question is better left to the library. */
struct give_up {};

/* pcre2_match() of re's code c on s from from. A pattern the JIT compiled is
 * run by pcre2_jit_match() directly, which is what pcre2_match() would do
 * after checks that hold here (no options, no UTF). */
int
run_match(const lazy_re &re, pcre2_code *c, const std::string &s, size_t from, pcre2_match_data *md)
{
	PCRE2_SPTR subject = reinterpret_cast<PCRE2_SPTR>(s.data());
	if (re.jit)
		return pcre2_jit_match(c, subject, s.size(), from, 0, md, nullptr);
	return pcre2_match(c, subject, s.size(), from, 0, md, nullptr);
}

/* Whether re matches s (how, the options it was compiled with say). */
bool
re_match(const lazy_re &re, const std::string &s, size_t from = 0)
{
	pcre2_code *c = re.get();
	if (!c)
		throw give_up();
	if ((re.options & PCRE2_ANCHORED) && !re.may_start(s, from))
		return false;
	int rc = run_match(re, c, s, from, thread_match_data());
	if (rc == PCRE2_ERROR_NOMATCH)
		return false;
	if (rc < 0)
		throw give_up();
	return true;
}

enum { RE_FULL = PCRE2_ANCHORED | PCRE2_ENDANCHORED, RE_PREFIX = PCRE2_ANCHORED, RE_FIND = 0 };

/* PhoneNumberDesc: the lengths it allows and its pattern, matched whole. */
struct desc_t {
	std::vector<int> lengths;
	std::vector<int> local_lengths; /* possible_length_local_only */
	/* lengths as bits (1 << n for each length n), asked for every type of
	 * every question: a national number has at most 17 digits */
	uint32_t length_bits = 0;
	bool has_pattern = false;
	lazy_re full;

	void set(const i18n::phonenumbers::PhoneNumberDesc &d)
	{
		lengths.assign(d.possible_length().begin(), d.possible_length().end());
		local_lengths.assign(d.possible_length_local_only().begin(), d.possible_length_local_only().end());
		for (int n : lengths)
			if (n >= 0 && n < 32)
				length_bits |= 1u << n;
		has_pattern = !d.national_number_pattern().empty();
		full.set(d.national_number_pattern(), RE_FULL);
	}
	/* RegexBasedMatcher::MatchNationalNumber() (IsMatch() of
	 * phonenumberutil.cc): the pattern alone, no lengths */
	bool pattern_matches(const std::string &nsn) const
	{
		return has_pattern && re_match(full, nsn);
	}
	/* PhoneNumberUtil::IsNumberMatchingDesc() */
	bool matches(const std::string &nsn) const
	{
		if (!lengths.empty() && (nsn.size() >= 32 || !((length_bits >> nsn.size()) & 1)))
			return false;
		return has_pattern && re_match(full, nsn);
	}
};

/* NumberFormat, as Format(NATIONAL) uses it. */
struct format_t {
	bool has_leading = false;
	lazy_re leading; /* the last leading_digits_pattern, at the start */
	lazy_re whole;   /* pattern, matched whole */
	lazy_re find;    /* pattern, searched for (the replacement) */
	std::string rule; /* format with the national prefix formatting rule applied */
	bool rule_ok = true;
};

/* One region's metadata. */
struct plan_t {
	std::string region;
	bool plain = false; /* a country of plain_trunk_regions[] */
	int cc = 0;
	std::string cc_str, trunk;
	desc_t general;
	desc_t types[8]; /* premium rate, toll free, shared cost, VoIP, personal, pager, UAN, voicemail */
	desc_t fixed, mobile;
	bool same_fixed_mobile = false;
	bool has_leading_digits = false;
	lazy_re leading_digits;
	lazy_re prefix_for_parsing; /* national_prefix_for_parsing, at the start; "" for none */
	bool has_transform = false; /* a national_prefix_transform_rule */
	std::deque<format_t> formats;

	/* GetNumberTypeHelper() is FIXED_LINE or FIXED_LINE_OR_MOBILE, for a
	 * valid number */
	bool fixed_line(const std::string &nsn) const
	{
		for (const desc_t &t : types)
			if (t.matches(nsn))
				return false;
		return fixed.matches(nsn);
	}
	/* PhoneNumberUtil::GetNumberTypeHelper() != UNKNOWN */
	bool valid(const std::string &nsn) const
	{
		/* GetNumberTypeHelper() asks the general pattern first, which takes
		 * nearly every number of the right length; asked last, it is run
		 * only for a number some type takes, and the answer is the same.
		 * (A general pattern PCRE2 would not take then sends only those to
		 * the library: for the others it says "not valid" too.) */
		bool typed = false;
		for (const desc_t &t : types)
			if ((typed = t.matches(nsn)))
				break;
		typed = typed || fixed.matches(nsn) || (!same_fixed_mobile && mobile.matches(nsn));
		return typed && general.matches(nsn);
	}
};

/* ICU's replacement text, as RegexMatcher::appendReplacement() reads it:
 * "$n" a group (as many digits as name one that exists), anything else as
 * it is. What it would treat otherwise (escapes, named groups, a bad
 * group) is left to the library. */
void
append_replacement(std::string &out, const std::string &repl, const std::string &subject, const PCRE2_SIZE *ov,
                   int groups)
{
	for (size_t i = 0; i < repl.size(); i++) {
		char ch = repl[i];
		if (ch == '\\')
			throw give_up();
		if (ch != '$') {
			out.push_back(ch);
			continue;
		}
		int n = 0, digits = 0;
		while (i + 1 < repl.size() && repl[i + 1] >= '0' && repl[i + 1] <= '9' &&
		       n * 10 + (repl[i + 1] - '0') <= groups) {
			n = n * 10 + (repl[++i] - '0');
			digits++;
		}
		if (!digits)
			throw give_up();
		if (ov[2 * n] != PCRE2_UNSET)
			out.append(subject, ov[2 * n], ov[2 * n + 1] - ov[2 * n]);
	}
}

/* RegexMatcher::replaceAll(): every match from the left, each searched for
 * where the last one ended (one on after an empty one). No match is
 * searched for where too few bytes are left for one. */
std::string
replace_all(const lazy_re &re, const std::string &subject, const std::string &repl)
{
	pcre2_code *c = re.get();
	if (!c)
		throw give_up();
	uint32_t groups = 0;
	pcre2_pattern_info(c, PCRE2_INFO_CAPTURECOUNT, &groups);
	pcre2_match_data *md = thread_match_data();
	if (groups + 1 > pcre2_get_ovector_count(md))
		throw give_up();
	std::string out;
	size_t from = 0, tail = 0;
	while (from <= subject.size() && subject.size() - from >= re.min_length) {
		int rc = run_match(re, c, subject, from, md);
		if (rc == PCRE2_ERROR_NOMATCH)
			break;
		if (rc < 0)
			throw give_up();
		const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		out.append(subject, tail, ov[0] - tail);
		append_replacement(out, repl, subject, ov, static_cast<int>(groups));
		tail = ov[1];
		from = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
	}
	out.append(subject, tail, std::string::npos);
	return out;
}

/* Every region's plan, built on first use from the library's own metadata;
 * country code -> regions in the library's order. */
constexpr size_t nplain = sizeof plain_trunk_regions / sizeof *plain_trunk_regions;

struct plans_t {
	std::map<std::string, std::unique_ptr<plan_t>> by_region;
	std::map<int, std::vector<const plan_t *>> by_cc;
	const plan_t *plain[nplain] = {}; /* of plain_trunk_regions[], in its order */
	/* the country calling codes the library knows (by_cc holds one of the
	 * non-geographic ones only: they share the region "001") */
	bool is_code[1000] = {};
	bool ok = false;
};

const plans_t &
plans()
{
	static const plans_t *const all = [] {
		using i18n::phonenumbers::NumberFormat;
		using i18n::phonenumbers::PhoneMetadata;
		using i18n::phonenumbers::PhoneMetadataCollection;
		auto *p = new plans_t;
		PhoneMetadataCollection coll;
		if (!coll.ParseFromArray(i18n::phonenumbers::metadata_get(), i18n::phonenumbers::metadata_size()))
			return p;
		const PhoneNumberUtil *util = lib();
		for (const PhoneMetadata &m : coll.metadata()) {
			auto pl = std::make_unique<plan_t>();
			pl->region = m.id();
			pl->plain = plain_trunk(pl->region);
			pl->cc = m.country_code();
			pl->cc_str = std::to_string(m.country_code());
			util->GetNddPrefixForRegion(m.id(), true, &pl->trunk);
			pl->general.set(m.general_desc());
			pl->types[0].set(m.premium_rate());
			pl->types[1].set(m.toll_free());
			pl->types[2].set(m.shared_cost());
			pl->types[3].set(m.voip());
			pl->types[4].set(m.personal_number());
			pl->types[5].set(m.pager());
			pl->types[6].set(m.uan());
			pl->types[7].set(m.voicemail());
			pl->fixed.set(m.fixed_line());
			pl->mobile.set(m.mobile());
			pl->same_fixed_mobile = m.same_mobile_and_fixed_line_pattern();
			pl->has_leading_digits = m.has_leading_digits();
			pl->leading_digits.set(m.leading_digits(), RE_PREFIX);
			pl->prefix_for_parsing.set(m.national_prefix_for_parsing(), RE_PREFIX);
			pl->has_transform = !m.national_prefix_transform_rule().empty();
			for (const NumberFormat &f : m.number_format()) {
				format_t &x = pl->formats.emplace_back();
				x.has_leading = f.leading_digits_pattern_size() > 0;
				if (x.has_leading)
					x.leading.set(f.leading_digits_pattern(f.leading_digits_pattern_size() - 1), RE_PREFIX);
				x.whole.set(f.pattern(), RE_FULL);
				x.find.set(f.pattern(), RE_FIND);
				/* the first "$n" of the format becomes the rule, in which "$1" (or
				 * "$0") is that "$n" */
				x.rule = f.format();
				const std::string &npr = f.national_prefix_formatting_rule();
				if (!npr.empty()) {
					size_t k = 0;
					while (k + 1 < x.rule.size() && !(x.rule[k] == '$' && x.rule[k + 1] >= '0' && x.rule[k + 1] <= '9'))
						k++;
					if (k + 1 < x.rule.size()) {
						std::string group = x.rule.substr(k, 2), with;
						for (size_t i = 0; i < npr.size(); i++) {
							if (npr[i] == '\\' || (npr[i] == '$' && !(i + 1 < npr.size() && (npr[i + 1] == '0' || npr[i + 1] == '1')))) {
								x.rule_ok = false;
								break;
							}
							if (npr[i] == '$') {
								with += group;
								i++;
								continue;
							}
							with.push_back(npr[i]);
						}
						x.rule.replace(k, 2, with);
					}
				}
			}
			p->by_region[pl->region] = std::move(pl);
		}
		/* the library's own order of the regions of a code, main country first */
		for (const auto &kv : p->by_region) {
			int cc = kv.second->cc;
			if (p->by_cc.count(cc))
				continue;
			std::list<std::string> regions;
			util->GetRegionCodesForCountryCallingCode(cc, &regions);
			std::vector<const plan_t *> &v = p->by_cc[cc];
			for (const std::string &r : regions) {
				auto it = p->by_region.find(r);
				if (it == p->by_region.end()) {
					v.clear(); /* one we cannot answer for: the library then */
					break;
				}
				v.push_back(it->second.get());
			}
		}
		for (size_t k = 0; k < nplain; k++) {
			auto it = p->by_region.find(plain_trunk_regions[k]);
			if (it != p->by_region.end())
				p->plain[k] = it->second.get();
		}
		for (int cc = 1; cc < 1000; cc++) {
			std::string r;
			util->GetRegionCodeForCountryCode(cc, &r);
			p->is_code[cc] = r != "ZZ";
		}
		p->ok = true;
		return p;
	}();
	return *all;
}

const plan_t *
plan_of(const std::string &region)
{
	const plans_t &p = plans();
	auto it = p.by_region.find(region);
	return it == p.by_region.end() ? nullptr : it->second.get();
}

/* The plan of region when it is one of plain_trunk_regions[], else NULL:
 * asked for every national question, so without building a string. */
const plan_t *
plain_plan(const char *region)
{
	for (size_t k = 0; k < nplain; k++) {
		const char *r = plain_trunk_regions[k];
		if (region[0] == r[0] && region[0] && region[1] == r[1] && region[2] == '\0')
			return plans().plain[k];
	}
	return nullptr;
}

/* PhoneNumberUtil::GetRegionCodeForNumber(): "" when no region fits. */
const plan_t *
region_for_number(int cc, const std::string &nsn)
{
	const plans_t &p = plans();
	auto it = p.by_cc.find(cc);
	if (it == p.by_cc.end() || it->second.empty())
		throw give_up();
	const std::vector<const plan_t *> &v = it->second;
	if (v.size() == 1)
		return v[0];
	for (const plan_t *pl : v) {
		if (pl->has_leading_digits) {
			if (re_match(pl->leading_digits, nsn))
				return pl;
		} else if (pl->valid(nsn)) {
			return pl;
		}
	}
	return nullptr;
}

/* Format(NATIONAL) of a valid number of plan pl. */
std::string
national_format(const plan_t &pl, const std::string &nsn)
{
	const plans_t &p = plans();
	auto it = p.by_cc.find(pl.cc);
	if (it == p.by_cc.end() || it->second.empty())
		throw give_up();
	const plan_t &main = *it->second[0]; /* GetRegionCodeForCountryCode(): the formats of the main country */
	for (const format_t &f : main.formats) {
		if (f.has_leading && !re_match(f.leading, nsn))
			continue;
		if (!re_match(f.whole, nsn))
			continue;
		if (!f.rule_ok)
			throw give_up();
		/* The whole match stands at 0, so replaceAll()'s first match does
		 * too: the first, in the order the pattern tries its ways, that
		 * gets to the pattern's end. When no match is shorter than the
		 * number, that one ends where the number does, and so is the
		 * whole match (the first way to end there), and no second one
		 * fits after it: the replacement is the whole match's, whose
		 * groups are still in the match data. */
		const pcre2_code *c = f.find.get();
		if (c && f.find.min_length >= nsn.size()) {
			uint32_t groups = 0;
			pcre2_pattern_info(c, PCRE2_INFO_CAPTURECOUNT, &groups);
			pcre2_match_data *md = thread_match_data();
			const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
			if (groups + 1 <= pcre2_get_ovector_count(md) && ov[0] == 0 && ov[1] == nsn.size()) {
				std::string out;
				append_replacement(out, f.rule, nsn, ov, static_cast<int>(groups));
				return out;
			}
		}
		return replace_all(f.find, nsn, f.rule);
	}
	return nsn;
}

void
fill(trawl_phonelib_number_t *out, const plan_t &pl, const std::string &nsn, bool from_region)
{
	std::memset(out, 0, sizeof *out);
	out->country_code = pl.cc;
	out->from_region = from_region;
	/* "+" cc nsn, cut short rather than overflowing, as copy_out() would */
	size_t n = 0, room = sizeof out->e164 - 1;
	out->e164[n++] = '+';
	for (const std::string *part : {&pl.cc_str, &nsn}) {
		size_t k = std::min(part->size(), room - n);
		std::memcpy(out->e164 + n, part->data(), k);
		n += k;
	}
	out->e164[n] = '\0';
}

/* TestNumberLength() of phonenumberutil.cc for the type UNKNOWN: whether
 * the general lengths of pl let Parse() keep nsn as the national number
 * once a national prefix is off (not TOO_SHORT, IS_POSSIBLE_LOCAL_ONLY nor
 * INVALID_LENGTH). */
bool
length_kept(const plan_t &pl, const std::string &nsn)
{
	const std::vector<int> &lengths = pl.general.lengths, &local = pl.general.local_lengths;
	if (lengths.empty())
		throw give_up(); /* the metadata always has them */
	int n = static_cast<int>(nsn.size());
	if (lengths[0] == -1 || std::find(local.begin(), local.end(), n) != local.end() || lengths[0] > n)
		return false;
	return lengths[0] == n || lengths.back() < n || std::find(lengths.begin() + 1, lengths.end(), n) != lengths.end();
}

/* The national number ParseHelper() of phonenumberutil.cc keeps of nsn, the
 * digits after the country code of home (its main country): with the
 * national prefix taken off (MaybeStripNationalPrefixAndCarrierCode())
 * when the rest is still a possible length and, if nsn matched the general
 * pattern, matches it too. Only for a plan whose prefix for parsing is
 * its trunk prefix in digits, without a transform rule (the plain ones). */
std::string
parsed_nsn(const plan_t &home, const std::string &nsn)
{
	const std::string &trunk = home.trunk;
	if (trunk.empty() || nsn.compare(0, trunk.size(), trunk) != 0)
		return nsn;
	std::string stripped = nsn.substr(trunk.size());
	if (home.general.pattern_matches(nsn) && !home.general.pattern_matches(stripped))
		return nsn;
	return length_kept(home, stripped) ? stripped : nsn;
}

/* What intl_valid() found. */
enum intl_answer {
	INTL_VALID,   /* a valid number: *out_plan, *out_nsn */
	INTL_INVALID, /* no valid number: *out_plan the country's main plan,
	               * *out_nsn the national number Parse() makes of it */
	INTL_NO_CODE, /* the digits start with no country code */
	INTL_ASK,     /* a question for the library */
};

/* build_international() from the plans: "+<digits>" of a country of
 * plain_trunk_regions[] (a trunk prefix after the code taken off when only
 * that makes it valid). What the library would make of a number that is
 * not valid either way, or has no country code, is said too: a detector
 * asks about many, and Parse() (a dozen ICU regular expressions) cost
 * more than all the rest of the questions about them. */
intl_answer
intl_valid(const char *text, size_t len, const plan_t **out_plan, std::string *out_nsn)
{
	if (len < 4 || text[0] != '+' || !all_digits(text + 1, len - 1))
		return INTL_ASK;
	const std::string digits(text + 1, len - 1);
	const plans_t &p = plans();
	for (size_t k = 1; k <= 3; k++) {
		int cc = std::stoi(digits.substr(0, k));
		auto it = p.by_cc.find(cc);
		if (it == p.by_cc.end()) {
			if (p.is_code[cc])
				return INTL_ASK; /* a non-geographic code */
			continue; /* no such code: "ZZ" */
		}
		if (it->second.empty() || !it->second[0]->plain)
			return INTL_ASK;
		const plan_t &home = *it->second[0];
		const std::string orig = digits.substr(k);
		std::string nsn = orig;
		for (int pass = 0; pass < 2; pass++) {
			if (nsn.size() < 2 || nsn.size() > 17) {
				if (!pass)
					return INTL_ASK;
				break; /* too short to be valid without the trunk prefix */
			}
			const plan_t *pl = region_for_number(cc, nsn);
			/* IsValidNumberForRegion() of the region found */
			if (pl && pl->cc == cc && pl->valid(nsn)) {
				*out_plan = pl;
				*out_nsn = nsn;
				return INTL_VALID;
			}
			/* "+49 (0)30 ...": without the trunk prefix */
			if (pass || home.trunk.empty() || nsn.compare(0, home.trunk.size(), home.trunk) != 0)
				break;
			nsn.erase(0, home.trunk.size());
		}
		/* Parse() keeps one of the two, which are not valid, when the
		 * national prefix it takes off is the trunk prefix tried here
		 * (and it takes no code after a 0 at all) */
		if (digits[0] == '0' || home.has_transform || home.prefix_for_parsing.src != home.trunk ||
		    (!home.trunk.empty() && !all_digits(home.trunk.data(), home.trunk.size())))
			return INTL_ASK;
		*out_plan = &home;
		*out_nsn = parsed_nsn(home, orig);
		return INTL_INVALID;
	}
	/* ExtractCountryCode() finds none either (it would not even look
	 * after a 0) */
	return digits[0] != '0' ? INTL_NO_CODE : INTL_ASK;
}

/* parse() for what the plans answer: national digits for a country of
 * plain_trunk_regions[], or "+<digits>" of one. false: ask the library. */
bool
parse_fast(trawl_phonelib_number_t *out, const char *text, size_t len, const char *region, trawl_status_t *rc)
{
	try {
		if (!plans().ok)
			return false;
		if (region && *region) {
			/* build_national() and what parse() makes of it */
			const plan_t *pl = plain_plan(region);
			if (!pl || !all_digits(text, len))
				return false;
			std::string nsn(text, len);
			if (!pl->trunk.empty() && nsn.compare(0, pl->trunk.size(), pl->trunk) == 0)
				nsn.erase(0, pl->trunk.size());
			if (nsn.size() < 2 || nsn.size() > 17)
				return false;
			bool valid = pl->valid(nsn);
			if (!valid && std::string(text, len).compare(0, pl->cc_str.size(), pl->cc_str) == 0)
				return false; /* maybe the country code without its +: Parse() weighs that */
			std::string national = valid ? national_format(*pl, nsn) : "";
			fill(out, *pl, nsn, true);
			if (!valid) {
				*rc = TRAWL_ENOTFOUND;
				return true;
			}
			copy_out(out->national, national);
			copy_out(out->region, pl->region);
			*rc = TRAWL_OK;
			return true;
		}
		const plan_t *pl = nullptr;
		std::string nsn;
		switch (intl_valid(text, len, &pl, &nsn)) {
		case INTL_ASK:
			return false;
		case INTL_NO_CODE:
			/* INVALID_COUNTRY_CODE_ERROR */
			std::memset(out, 0, sizeof *out);
			*rc = TRAWL_EFORMAT;
			return true;
		case INTL_INVALID:
			if (nsn.size() < 2) {
				/* TOO_SHORT_NSN */
				std::memset(out, 0, sizeof *out);
				*rc = TRAWL_EFORMAT;
				return true;
			}
			/* what parse_lib() says of a number Parse() takes but that
			 * is not valid */
			fill(out, *pl, nsn, false);
			*rc = TRAWL_ENOTFOUND;
			return true;
		case INTL_VALID:
			break;
		}
		fill(out, *pl, nsn, false);
		if (pl->region.size() == 2 && pl->region != "ZZ")
			copy_out(out->region, pl->region);
		*rc = TRAWL_OK;
		return true;
	} catch (const give_up &) {
		return false;
	}
}


/* parse() by the library alone. */
trawl_status_t
parse_lib(trawl_phonelib_number_t *out, const char *text, size_t len, const char *region)
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

/* A question the cache does not answer: *out is cleared first, which
 * parse_lib() counts on. */
trawl_status_t
parse(trawl_phonelib_number_t *out, const char *text, size_t len, const char *region)
{
	trawl_status_t rc;
	std::memset(out, 0, sizeof *out);
	if (parse_fast(out, text, len, region, &rc))
		return rc;
	return parse_lib(out, text, len, region);
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

/* The locale the geocoder is asked in, built once a thread (ICU promises
 * const use of an object from several threads only for some classes): an
 * icu::Locale takes about as long to build as the plans take to answer
 * placed(). */
const icu::Locale &
english()
{
	thread_local const icu::Locale en("en");
	return en;
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

/* placed() for a number of a country of plain_trunk_regions[]: Parse(),
 * GetRegionCodeForNumber(), IsValidNumberForRegion() and GetNumberType()
 * from the plans; the geocoder is the library's. false: ask the library. */
bool
placed_fast(const char *e164, bool *placed)
{
	try {
		if (!plans().ok || e164[0] != '+' || e164[1] == '0' || !all_digits(e164 + 1, std::strlen(e164 + 1)))
			return false;
		const std::string digits(e164 + 1);
		const plans_t &p = plans();
		/* ExtractCountryCode(): the first prefix that is a code */
		for (size_t k = 1; k <= 3 && k < digits.size(); k++) {
			int cc = std::stoi(digits.substr(0, k));
			auto it = p.by_cc.find(cc);
			if (it == p.by_cc.end())
				continue;
			if (it->second.empty() || !it->second[0]->plain)
				return false;
			std::string nsn = digits.substr(k);
			if (nsn.size() < 2 || nsn.size() > 17)
				return false;
			/* Parse() would try to take a national prefix off */
			const lazy_re &npfp = it->second[0]->prefix_for_parsing;
			if (!npfp.src.empty() && re_match(npfp, nsn))
				return false;
			const plan_t *pl = region_for_number(cc, nsn);
			if (!pl || !pl->valid(nsn)) {
				*placed = false;
				return true;
			}
			if (!pl->fixed_line(nsn)) {
				*placed = true;
				return true;
			}
			PhoneNumber num;
			if (!set_nsn(&num, cc, nsn))
				return false;
			/* GetDescriptionForNumber() would work out the number's type
			 * again with the library's regular expressions (nine tenths of
			 * its cost) only to find what the plans just said: a valid
			 * fixed line, which is geographical, for which it returns
			 * GetDescriptionForValidNumber() */
			std::string desc = geocoder().GetDescriptionForValidNumber(num, english());
			*placed = !desc.empty() && desc != country_name(pl->region);
			return true;
		}
		return false;
	} catch (const give_up &) {
		return false;
	}
}

bool
placed_lib(const char *e164)
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
	std::string desc = geocoder().GetDescriptionForNumber(num, english());
	return !desc.empty() && desc != country_name(region);
}

bool
placed(const char *e164)
{
	bool fast;
	return placed_fast(e164, &fast) ? fast : placed_lib(e164);
}

/* Answers by question, per thread. The same numbers come back in message
 * after message (a signature, a colleague's number), and each costs
 * libphonenumber tens of microseconds; one thread's cache needs no lock.
 * Bounded: emptied when full.
 *
 * A question is a few bytes (a region and a score of digits), asked for
 * every region a run of digits might be from, and most answers take the
 * plans a few microseconds: the keys are held in the table itself and
 * found by a hash of a few multiplications, where a std::unordered_map
 * built a std::string per question, hashed it twice (find, then emplace)
 * and allocated a node per answer. A key longer than key_max is not
 * cached. */
constexpr size_t cache_max = 32768;
/* the detector asks at most a region, '|' and '+' and 17 digits; an
 * E.164 number has less than 32 bytes */
constexpr size_t key_max = 32;

/* A hash of k[0, n): eight bytes at a time, each word mixed in by a
 * multiplication, the whole finished as splitmix64 finishes. */
uint64_t
key_hash(const char *k, size_t n)
{
	uint64_t h = n * 0x9e3779b97f4a7c15u;
	for (; n; k += n < 8 ? n : 8, n -= n < 8 ? n : 8) {
		uint64_t w = 0;
		std::memcpy(&w, k, n < 8 ? n : 8);
		h = (h ^ w) * 0xbf58476d1ce4e5b9u;
		h ^= h >> 31;
	}
	h ^= h >> 29;
	h *= 0x94d049bb133111ebu;
	return h ^ (h >> 32);
}

/* Up to cache_max answers of type V (trivially copyable) by key, in one
 * block: the answers in the order they came, and twice as many slots of
 * linear probing, each 0 (empty) or 16 bits of the key's hash and the
 * answer's index + 1, so that a key is compared only when those agree. */
template <typename V> class answer_cache
{
public:
	/* the answer for key[0, len) with hash h, or NULL */
	const V *find(const char *key, size_t len, uint64_t h) const
	{
		uint32_t tag = static_cast<uint32_t>(h >> 48) << 16;
		for (size_t i = h & mask;; i = (i + 1) & mask) {
			uint32_t s = slots_[i];
			if (!s)
				return nullptr;
			if ((s & 0xffff0000u) != tag)
				continue;
			const entry &e = entries_[(s & 0xffffu) - 1];
			if (e.len == len && std::memcmp(e.key, key, len) == 0)
				return &e.val;
		}
	}
	/* adds the answer for key[0, len) (len <= key_max), which find() did
	 * not find */
	void put(const char *key, size_t len, uint64_t h, const V &v)
	{
		if (n_ == cache_max) {
			std::memset(slots_, 0, sizeof slots_);
			n_ = 0;
		}
		entry &e = entries_[n_];
		e.len = static_cast<unsigned char>(len);
		std::memcpy(e.key, key, len);
		e.val = v;
		size_t i = h & mask;
		while (slots_[i])
			i = (i + 1) & mask;
		slots_[i] = static_cast<uint32_t>(h >> 48) << 16 | static_cast<uint32_t>(++n_);
	}

private:
	static constexpr size_t mask = 2 * cache_max - 1;
	static_assert(cache_max < 0x10000, "an index + 1 takes 16 bits of a slot");
	struct entry {
		unsigned char len;
		char key[key_max];
		V val;
	};
	uint32_t slots_[2 * cache_max] = {};
	entry entries_[cache_max];
	size_t n_ = 0;
};

struct parsed_t {
	trawl_status_t rc;
	trawl_phonelib_number_t num;
};

trawl_status_t
parse_cached(trawl_phonelib_number_t *out, const char *text, size_t len, const char *region)
{
	/* some 4.4 MiB a thread, allocated on its first question */
	thread_local std::unique_ptr<answer_cache<parsed_t>> cache;
	size_t rl = region ? std::strlen(region) : 0;
	if (rl + 1 + len > key_max)
		return parse(out, text, len, region);
	if (!cache)
		cache.reset(new answer_cache<parsed_t>);
	char key[key_max];
	if (rl)
		std::memcpy(key, region, rl);
	key[rl] = '|';
	std::memcpy(key + rl + 1, text, len);
	size_t kl = rl + 1 + len;
	uint64_t h = key_hash(key, kl);
	if (const parsed_t *hit = cache->find(key, kl, h)) {
		*out = hit->num;
		return hit->rc;
	}
	trawl_status_t rc = parse(out, text, len, region);
	if (rc == TRAWL_OK || rc == TRAWL_ENOTFOUND || rc == TRAWL_EFORMAT)
		cache->put(key, kl, h, parsed_t{rc, *out});
	return rc;
}

bool
placed_cached(const char *e164)
{
	thread_local std::unique_ptr<answer_cache<bool>> cache;
	size_t len = std::strlen(e164);
	if (len > key_max)
		return placed(e164);
	if (!cache)
		cache.reset(new answer_cache<bool>);
	uint64_t h = key_hash(e164, len);
	if (const bool *hit = cache->find(e164, len, h))
		return *hit;
	bool p = placed(e164);
	cache->put(e164, len, h, p);
	return p;
}

} // namespace

extern "C" trawl_status_t
trawl_phonelib__parse(trawl_phonelib_number_t *out, const char *text, size_t len, const char *region) noexcept
{
	if (!out || (!text && len))
		return TRAWL_EINVAL;
	try {
		/* an answer fills all of *out (a cached one is copied whole) */
		return parse_cached(out, text ? text : "", len, region);
	} catch (const std::bad_alloc &) {
		return TRAWL_ENOMEM;
	} catch (...) {
		return TRAWL_EINTERNAL;
	}
}

extern "C" size_t
trawl_phonelib__selfcheck(size_t *asked, unsigned long variants, unsigned seed, char *first, size_t cap) noexcept
{
	size_t differ = 0;
	*asked = 0;
	if (first && cap)
		*first = '\0';
	try {
		unsigned long long state = seed * 6364136223846793005ull + 1442695040888963407ull;
		auto rnd = [&state](unsigned n) {
			state = state * 6364136223846793005ull + 1442695040888963407ull;
			return static_cast<unsigned>((state >> 33) % n);
		};
		auto compare = [&](const std::string &text, const char *region) {
			trawl_phonelib_number_t a, b;
			trawl_status_t ra = TRAWL_OK, rb;
			std::memset(&a, 0, sizeof a);
			if (!parse_fast(&a, text.data(), text.size(), region, &ra))
				return;
			++*asked;
			std::memset(&b, 0, sizeof b);
			rb = parse_lib(&b, text.data(), text.size(), region);
			/* what a caller sees: e164, country and origin always; the rest when valid */
			bool same = ra == rb && !std::strcmp(a.e164, b.e164) && a.country_code == b.country_code &&
			            a.from_region == b.from_region &&
			            (ra != TRAWL_OK || (!std::strcmp(a.national, b.national) && !std::strcmp(a.region, b.region)));
			if (same && rb == TRAWL_OK) {
				bool pf, pl = placed_lib(b.e164);
				if (placed_fast(b.e164, &pf)) {
					++*asked;
					if (pf != pl && !differ++ && first && cap)
						snprintf(first, cap, "placed(%s): fast %d, library %d", b.e164, pf, pl);
				}
			}
			if (same)
				return;
			if (!differ++ && first && cap)
				snprintf(first, cap, "%s in %s: fast %d %s \"%s\" %s, library %d %s \"%s\" %s", text.c_str(),
				         region ? region : "-", ra, a.e164, a.national, a.region, rb, b.e164, b.national, b.region);
		};
		const plans_t &p = plans();
		for (const char *region : plain_trunk_regions) {
			const plan_t *home = plan_of(region);
			if (!home)
				continue;
			/* the example numbers of every region of the code, whole and with
			 * digits changed, cut or added: valid numbers and near misses */
			std::vector<std::string> seeds;
			i18n::phonenumbers::PhoneMetadataCollection coll;
			coll.ParseFromArray(i18n::phonenumbers::metadata_get(), i18n::phonenumbers::metadata_size());
			for (const auto &m : coll.metadata()) {
				if (m.country_code() != home->cc)
					continue;
				for (const auto *d : {&m.general_desc(), &m.fixed_line(), &m.mobile(), &m.toll_free(), &m.premium_rate(),
				                      &m.shared_cost(), &m.personal_number(), &m.voip(), &m.pager(), &m.uan(),
				                      &m.voicemail()})
					if (!d->example_number().empty())
						seeds.push_back(d->example_number());
			}
			for (int k = 0; k < 8; k++)
				seeds.push_back(std::to_string(1 + rnd(9)));
			for (const std::string &s0 : seeds) {
				for (unsigned long v = 0; v < variants; v++) {
					std::string s = s0;
					size_t keep = s.empty() ? 0 : rnd(static_cast<unsigned>(s.size()) + 1);
					for (size_t i = keep; i < s.size(); i++)
						s[i] = static_cast<char>('0' + rnd(10));
					int extra = static_cast<int>(rnd(5)) - 2;
					if (extra < 0 && s.size() > 3)
						s.resize(s.size() - static_cast<size_t>(-extra));
					for (int i = 0; i < extra; i++)
						s.push_back(static_cast<char>('0' + rnd(10)));
					if (v % 4 == 3 && s.size() > 2) /* any digits of any length */
						for (size_t i = 0, n = 2 + rnd(15); i < n; i++)
							s.push_back(static_cast<char>('0' + rnd(10)));
					compare(home->trunk + s, region);
					compare(s, region);
					compare("+" + home->cc_str + s, nullptr);
					compare("+" + home->cc_str + home->trunk + s, nullptr);
				}
			}
		}
		(void)p;
	} catch (...) {
		return differ + 1;
	}
	return differ;
}

extern "C" int
trawl_phonelib__country_code(const char *region) noexcept
{
	if (!region)
		return 0;
	/* Asked for the sender's country of every text that has a national
	 * number, mostly the few countries of a mailbox, and the library builds
	 * a std::string and searches a map each time: the thread's last answer
	 * for a region of two letters is kept. */
	thread_local char last[2];
	thread_local int last_cc;
	bool two = region[0] && region[1] && !region[2];
	if (two && region[0] == last[0] && region[1] == last[1])
		return last_cc;
	try {
		int cc = lib()->GetCountryCodeForRegion(region);
		if (two) {
			last[0] = region[0];
			last[1] = region[1];
			last_cc = cc;
		}
		return cc;
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
