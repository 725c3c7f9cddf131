#!/usr/bin/env bash
# Runs the libFuzzer harnesses built by `make fuzz` (fuzz/README.md): each
# for FUZZ_SECONDS on its seeds, one after the other. Arguments name the
# harnesses to run (mbox, message, ...); none means all.
#
# Seeds are read, never written: fixtures/, fuzz/seeds/<name>/ and the kept
# crashers of fuzz/regressions/<name>/; the PST and TNEF harnesses also take
# the small PSTs and TNEF files of the shared corpus (PST_SEEDS, TNEF_SEEDS),
# linked from build-fuzz/ by path.
# What the fuzzer learns grows build-fuzz/corpus/<name>/ from run to run;
# crashes land in build-fuzz/artifacts/<name>/ and fail the run.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -uo pipefail
cd "$(dirname "$0")/.."
FZ=${FZ:-build-fuzz}
SECS=${FUZZ_SECONDS:-60}
PST_SEEDS=${PST_SEEDS:-../shared/corpora/real/pst}
TNEF_SEEDS=${TNEF_SEEDS:-../shared/corpora/real/tnef}

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
	for f in fuzz/fuzz_*.c; do
		n=${f#fuzz/fuzz_}
		names+=("${n%.c}")
	done
fi

# The seed folders of one harness, and its extra libFuzzer options.
seeds() {
	case $1 in
	mbox) echo fixtures/mbox fixtures/sample/mail ;;
	message) echo fixtures/mime fixtures/sample/mail fixtures/sample/maildir ;;
	archive) echo fixtures/attachments fixtures/sample/backup ;;
	document) echo fixtures/documents ;;
	oxmsg) echo fixtures/msg ;;
	pst)
		# small PSTs only: a mutation of a 4 MB file costs too much
		mkdir -p "$FZ/pst-seeds"
		if [ -d "$PST_SEEDS" ]; then
			find "$PST_SEEDS" -type f \( -name '*.pst' -o -name '*.ost' \) -size -300k -print0 |
				while IFS= read -r -d '' f; do
					ln -sf "$(realpath "$f")" "$FZ/pst-seeds/$(basename "$(dirname "$f")")-$(basename "$f")"
				done
		else
			echo "fuzz: $PST_SEEDS is absent: the PST harness starts from fuzz/seeds/pst only" >&2
		fi
		echo "$FZ/pst-seeds"
		;;
	tnef)
		# the TNEF files of the shared corpus, linked like the PSTs
		mkdir -p "$FZ/tnef-seeds"
		if [ -d "$TNEF_SEEDS" ]; then
			find "$TNEF_SEEDS" -type f -size -16k -print0 |
				while IFS= read -r -d '' f; do
					ln -sf "$(realpath "$f")" "$FZ/tnef-seeds/$(basename "$f")"
				done
		else
			echo "fuzz: $TNEF_SEEDS is absent: the TNEF harness starts from fixtures/tnef only" >&2
		fi
		echo fixtures/tnef "$FZ/tnef-seeds"
		;;
	esac
	for d in fuzz/seeds/$1 fuzz/regressions/$1; do
		[ -d "$d" ] && echo "$d"
	done
}

options() {
	case $1 in
	pst) echo -max_len=300000 -timeout=30 ;;
	document | archive) echo -max_len=65536 -timeout=15 ;;
	tnef) echo -max_len=16384 -timeout=15 ;;
	oxmsg) echo -max_len=32768 -timeout=15 ;;
	message) echo -max_len=65536 -timeout=15 ;;
	*) echo -max_len=16384 -timeout=10 ;;
	esac
	[ -f "fuzz/dict/$1.dict" ] && echo "-dict=fuzz/dict/$1.dict"
}

# leaks inside the libraries that trawl cannot free (lsan.supp says which)
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

failed=()
for n in "${names[@]}"; do
	bin=$FZ/fuzz_$n
	if [ ! -x "$bin" ]; then
		echo "fuzz: no $bin (make fuzz builds it)" >&2
		failed+=("$n")
		continue
	fi
	mkdir -p "$FZ/corpus/$n" "$FZ/artifacts/$n" "$FZ/logs"
	log=$FZ/logs/$n.log
	start=$SECONDS
	# shellcheck disable=SC2046
	"$bin" -max_total_time="$SECS" -print_final_stats=1 -artifact_prefix="$FZ/artifacts/$n/" \
		$(options "$n") "$FZ/corpus/$n" $(seeds "$n") >"$log" 2>&1
	rc=$?
	took=$((SECONDS - start))
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -1)
	if [ -z "$execs" ]; then # a crash: the last status line counts
		execs=$(grep -Eo '^#[0-9]+' "$log" | tail -1 | tr -d '#')
	fi
	printf 'fuzz %-10s %4ss  %10s runs  %-10s  corpus %s\n' "$n" "$took" "${execs:-?}" "${cov:-}" \
		"$(find "$FZ/corpus/$n" -type f | wc -l)"
	# every run, for the figures in README.md
	printf '%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$n" "$took" "${execs:-0}" "$rc" >>"$FZ/history.tsv"
	if [ $rc -ne 0 ]; then
		echo "fuzz: $n failed (exit $rc); see $log and $FZ/artifacts/$n/" >&2
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$log" | head -5 >&2
		failed+=("$n")
	fi
done
if [ ${#failed[@]} -gt 0 ]; then
	echo "fuzz: failed: ${failed[*]}" >&2
	exit 1
fi
