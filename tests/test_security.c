/* Security properties, end to end: what the index keeps on disk, what the
 * reports show, and where trawl writes. TRAWL_BIN and TRAWL_SRC are set by
 * `make check`; the synthetic corpus is ../shared/corpora/synthetic-dev
 * beside the source tree (tests that need it skip when it is absent).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "tests/faults.h"

#include <dirent.h>

static char *tmp;

static void
setup(void)
{
	tmp = t_tmpdir();
}

static void
teardown(void)
{
	t_rmtree(tmp);
	free(tmp);
	tmp = NULL;
}

TestSuite(security, .init = setup, .fini = teardown, .timeout = 240);

static char *
corpus(void)
{
	char *p = NULL;
	cr_assert_geq(asprintf(&p, "%s/../shared/corpora/synthetic-dev", t_src()), 0);
	struct stat st;
	char *subjects = t_path(p, "subjects.jsonl");
	bool ok = stat(subjects, &st) == 0;
	free(subjects);
	if (!ok) {
		free(p);
		return NULL;
	}
	return p;
}

Test(security, index_folder_is_0700_and_its_secret_0600_whatever_the_umask)
{
	char *idx = t_path(tmp, "idx");
	int rc = t_run(NULL, "umask 000; '%s' scan --quiet --index '%s' '%s/fixtures/sample' 2>/dev/null", t_bin(), idx,
	               t_src());
	cr_assert_eq(rc, 0);
	struct stat st;
	cr_assert_eq(stat(idx, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0700, "index folder mode %o", st.st_mode & 0777);
	char *secret = t_path(idx, "secret");
	cr_assert_eq(stat(secret, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600, "secret mode %o", st.st_mode & 0777);
	/* nor anything in it, should the folder's mode ever be opened */
	char *out = NULL;
	t_run(&out, "find '%s' -mindepth 1 -perm /077", idx);
	cr_assert_str_empty(out, "open to group or others: %s", out);
	free(out), free(secret), free(idx);
}

/* Every card number and IBAN of the corpus's subjects, in the forms a text
 * may hold them (compact, in groups of four with spaces or dashes), one a
 * line, to dir/numbers for grep -F -f. */
static char *
numbers_file(const char *corp)
{
	char *f = t_path(tmp, "numbers");
	int rc = t_run(NULL,
	               "python3 -c 'import json,sys\n"
	               "out=open(sys.argv[2],\"w\")\n"
	               "for l in open(sys.argv[1]):\n"
	               "  d=json.loads(l)\n"
	               "  for k in (\"card\",\"iban\"):\n"
	               "    v=d.get(k)\n"
	               "    if not v: continue\n"
	               "    g=[v[i:i+4] for i in range(0,len(v),4)]\n"
	               "    for s in (v,\" \".join(g),\"-\".join(g)): print(s,file=out)\n"
	               "' '%s/subjects.jsonl' '%s'",
	               corp, f);
	cr_assert_eq(rc, 0);
	return f;
}

Test(security, no_full_card_number_or_iban_in_any_file_of_the_index)
{
	char *corp = corpus();
	if (!corp)
		cr_skip_test("../shared/corpora/synthetic-dev is absent");
	char *idx = t_path(tmp, "idx"), *nums = numbers_file(corp), *out = NULL;
	int rc = t_run(NULL, "'%s' scan --quiet --index '%s' '%s/archive' 2>/dev/null", t_bin(), idx, corp);
	cr_assert(rc == 0 || rc == 1, "scan exit %d", rc);
	/* the corpus does hold them, in clear, and trawl did find them */
	cr_assert_eq(t_run(NULL, "grep -rqaF -f '%s' '%s/archive'", nums, corp), 0, "no number in the corpus?");
	t_run(&out, "'%s' stats --index '%s' --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); "
	            "print(d[\"findings\"][\"card\"] > 0, d[\"findings\"][\"iban\"] > 0)'",
	      t_bin(), idx);
	cr_assert_str_eq(out, "True True\n", "cards and IBANs found: %s", out);
	free(out);
	/* and none of them is in any file of the index */
	rc = t_run(&out, "grep -rlaF -f '%s' '%s'", nums, idx);
	cr_assert_eq(rc, 1, "a full card number or IBAN is in %s", out);
	free(out), free(idx), free(nums), free(corp);
}

Test(security, reports_mask_card_numbers_and_ibans_by_default)
{
	char *corp = corpus();
	if (!corp)
		cr_skip_test("../shared/corpora/synthetic-dev is absent");
	char *idx = t_path(tmp, "idx"), *nums = numbers_file(corp), *out = NULL;
	int rc = t_run(NULL, "'%s' scan --quiet --index '%s' '%s/archive' 2>/dev/null", t_bin(), idx, corp);
	cr_assert(rc == 0 || rc == 1, "scan exit %d", rc);
	/* every report of the subjects whose card or IBAN the corpus's mail
	 * holds (the first 12), in every format but mbox (the messages
	 * themselves, for the person to have) */
	rc = t_run(&out,
	           "python3 - '%s' '%s' '%s' '%s' <<'EOF'\n"
	           "import json, subprocess, sys\n"
	           "trawl, idx, corp, nums = sys.argv[1:]\n"
	           "bad = [l.strip() for l in open(nums) if l.strip()]\n"
	           "want = {}\n"
	           "for l in open(corp + '/truth.jsonl'):\n"
	           "    for it in json.loads(l)['items']:\n"
	           "        if it['type'] in ('card', 'iban'): want[it['subject']] = 1\n"
	           "subs = [json.loads(l) for l in open(corp + '/subjects.jsonl')]\n"
	           "subs = [s for s in subs if s['id'] in want][:12]\n"
	           "masked = 0\n"
	           "for s in subs:\n"
	           "    sel = ['--email', s['emails'][0], '--name', s['name']]\n"
	           "    runs = [['access', '--format', f] for f in ('json', 'csv', 'html')]\n"
	           "    runs += [['erase', '--format', f] for f in ('json', 'text')]\n"
	           "    for r in runs:\n"
	           "        p = subprocess.run([trawl, r[0], '--index', idx] + sel + r[1:], capture_output=True)\n"
	           "        assert p.returncode == 0, (r, p.stderr)\n"
	           "        text = p.stdout.decode('utf-8')\n"
	           "        for b in bad:\n"
	           "            assert b not in text, (s['id'], r, b)\n"
	           "        masked += text.count('\\u2022')\n"
	           "for r in (['subjects', '--format', 'json'], ['subjects', '--format', 'csv'], ['stats', '--format', 'json']):\n"
	           "    text = subprocess.run([trawl, r[0], '--index', idx] + r[1:], capture_output=True).stdout.decode()\n"
	           "    for b in bad:\n"
	           "        assert b not in text, (r, b)\n"
	           "print(len(subs), masked > 0)\n"
	           "EOF",
	           t_bin(), idx, corp, nums);
	cr_assert_eq(rc, 0, "a report shows a full card number or IBAN (see the traceback above)");
	cr_assert_str_eq(out, "12 True\n", "%s", out);
	free(out), free(idx), free(nums), free(corp);
}

/* Every file under dir, one path a line, sorted ("" when none). */
static char *
listing(const char *dir)
{
	char *out = NULL;
	t_run(&out, "cd '%s' && find . -mindepth 1 | sort", dir);
	return out;
}

Test(security, trawl_writes_nothing_but_its_index_and_the_output_asked_for)
{
	char *cwd = t_path(tmp, "cwd"), *tmpd = t_path(tmp, "tmp"), *home = t_path(tmp, "home"),
	     *idx = t_path(tmp, "idx");
	mkdir(cwd, 0700);
	mkdir(tmpd, 0700);
	mkdir(home, 0700);
	/* the same environment for every command: cwd, TMPDIR and HOME empty */
	char *env = NULL;
	cr_assert_geq(asprintf(&env, "cd '%s' && TMPDIR='%s' HOME='%s' XDG_CACHE_HOME='%s/.cache'", cwd, tmpd, home,
	                       home), 0);
	int rc = t_run(NULL, "%s '%s' scan --index '%s' '%s/fixtures/sample' 2>/dev/null", env, t_bin(), idx, t_src());
	cr_assert_eq(rc, 0);
	rc = t_run(NULL, "%s '%s' detect '%s/fixtures/sample' >/dev/null 2>&1", env, t_bin(), t_src());
	cr_assert_eq(rc, 0);
	rc = t_run(NULL,
	           "%s '%s' access --index '%s' --email erika.mustermann@kontor-demo.de --format html -o report.html "
	           "2>/dev/null && '%s' erase --index '%s' --email erika.mustermann@kontor-demo.de >/dev/null 2>&1 && "
	           "'%s' stats --index '%s' >/dev/null 2>&1 && '%s' subjects --index '%s' >/dev/null 2>&1",
	           env, t_bin(), idx, t_bin(), idx, t_bin(), idx, t_bin(), idx);
	cr_assert_eq(rc, 0);
	char *l = listing(cwd);
	cr_assert_str_eq(l, "./report.html\n", "the working folder holds:\n%s", l);
	free(l);
	l = listing(tmpd);
	cr_assert_str_empty(l, "TMPDIR holds:\n%s", l);
	free(l);
	l = listing(home);
	cr_assert_str_empty(l, "HOME holds:\n%s", l);
	free(l);
	/* and the report was written private */
	struct stat st;
	char *rep = t_path(cwd, "report.html");
	cr_assert_eq(stat(rep, &st), 0);
	cr_assert_eq(st.st_mode & 077, 0, "report.html mode %o", st.st_mode & 0777);
	free(rep), free(env), free(cwd), free(tmpd), free(home), free(idx);
}
