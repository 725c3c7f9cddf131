#!/usr/bin/env bash
# bench/run.sh [TRAWL]: trawl's speed on a generated mail store (see bench/README.md).
#
# Generates (or reuses) a seeded corpus under build/bench/, then times
# `trawl scan` into a fresh index and `trawl detect > /dev/null` over its mbox,
# with --threads 1 and with the default (all cores), and, when installed,
# `notmuch new` and `mu index` over the same messages as a maildir and `rg -c`
# with a PII regex set over the mbox. Prints a Markdown table with ratios.
#
# Environment:
#   BENCH_PROFILE=short  the shape of the mail (bench/gen.py PROFILES): "short", the
#                     1.7 KB messages of issue #6's reference corpus (default), or
#                     "dense", 15 KB office mail with customer lists attached
#   BENCH_SIZE=200M   corpus size (10M..1G; K/M/G are powers of 1024)
#   BENCH_SEED=1      generator seed
#   BENCH_RUNS=N      runs per measurement, best wall time kept (default 3; 1 above 500M)
#   BENCH_DIR=DIR     where corpora, indexes and results go (default build/bench)
#   BENCH_FLAT=1      flatness check instead: peak RSS on the 200M mbox and on a 2G one
#                     (BENCH_FLAT_SIZE=50M for a quicker 50M vs 500M)
#   BENCH_TIMER=gnu|python   how to time (default: GNU time if it works, else a wait4 wrapper)
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
trawl=${1:-$root/build/trawl}
[[ $trawl == /* ]] || trawl=$PWD/$trawl
if [[ ! -x $trawl ]]; then
	echo "bench: $trawl is not an executable (run make first)" >&2
	exit 2
fi

seed=${BENCH_SEED:-1}
profile=${BENCH_PROFILE:-short}
case $profile in
short) tag=short-$seed ;;
dense) tag=$seed ;; # the folder name from before there were profiles
*)
	echo "bench: BENCH_PROFILE is short or dense, not $profile" >&2
	exit 2
	;;
esac
size=${BENCH_SIZE:-200M}
size=${size^^}
size=${size%B}
dir=${BENCH_DIR:-$root/build/bench}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
ncpu=$(nproc)

to_bytes() {
	python3 -c 'import re,sys
m = re.fullmatch(r"(\d+(?:\.\d+)?)([KMG]?)", sys.argv[1])
if not m: sys.exit("bench: size like 50M, 200M, 1G: " + sys.argv[1])
print(int(float(m[1]) * {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}[m[2]]))' "$1"
}

manifest() { # manifest DIR KEY -> value from DIR/corpus.json
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1] + "/corpus.json"))[sys.argv[2]])' "$1" "$2"
}

# ---------------------------------------------------------------- timing
# Each timed command writes "WALL_SECONDS PEAK_RSS_KB" to a file. GNU time
# reads both from wait4(); the fallback does the same in Python, so the two
# agree on what peak RSS means (the command's own maximum resident set).
timer=${BENCH_TIMER:-}
if [[ -z $timer ]]; then
	if /usr/bin/time -f '%e %M' -o /dev/null true 2>/dev/null; then timer=gnu; else timer=python; fi
fi

timed() { # timed OUTFILE CMD... (stdout and stderr as the caller redirected them)
	local of=$1
	shift
	if [[ $timer == sampled ]]; then
		# The flatness check: also the peak of RssAnon, sampled from
		# /proc/PID/status every 20 ms, because ru_maxrss counts the pages of
		# an mmap()ed input too, which grow with the file, not with the heap.
		python3 -c 'import os, sys, time
t = time.monotonic()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
anon = 0
while True:
    done, st, ru = os.wait4(pid, os.WNOHANG)
    if done:
        break
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("RssAnon:"):
                    anon = max(anon, int(line.split()[1]))
    except OSError:
        pass
    time.sleep(0.02)
with open(sys.argv[1], "w") as f:
    f.write("%.2f %d %.2f %d\n" % (time.monotonic() - t, ru.ru_maxrss, ru.ru_utime + ru.ru_stime, anon))
sys.exit(os.waitstatus_to_exitcode(st) & 255)' "$of" "$@"
	elif [[ $timer == gnu ]]; then
		/usr/bin/time -f '%e %M %U %S' -o "$of" -- "$@"
	else
		python3 -c 'import os, sys, time
t = time.monotonic()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, st, ru = os.wait4(pid, 0)
with open(sys.argv[1], "w") as f:
    f.write("%.2f %d %.2f\n" % (time.monotonic() - t, ru.ru_maxrss, ru.ru_utime + ru.ru_stime))
sys.exit(os.waitstatus_to_exitcode(st) & 255)' "$of" "$@"
	fi
}

# Results, in the order measured.
keys=()
declare -A LABEL INPUT THREADS BYTES MSGS WALL CPU RSS ANON NOTE

# measure KEY LABEL INPUT THREADS BYTES MSGS PREP OUT -- CMD...
# PREP is a function run before every run (a fresh index); OUT where stdout goes.
measure() {
	local key=$1 label=$2 input=$3 threads=$4 bytes=$5 msgs=$6 prep=$7 out=$8
	shift 9
	keys+=("$key")
	LABEL[$key]=$label INPUT[$key]=$input THREADS[$key]=$threads BYTES[$key]=$bytes MSGS[$key]=$msgs
	local best="" cbest="" peak=0 i rc w r c a log=$work/$key.log
	for ((i = 1; i <= runs; i++)); do
		$prep || true
		rc=0
		timed "$work/t" "$@" >"$out" 2>"$log" || rc=$?
		if ((rc > 1)) || [[ ! -s $work/t ]]; then
			NOTE[$key]="failed (exit $rc)"
			echo "bench: $label ($input, threads $threads) failed with exit $rc:" >&2
			tail -n 5 "$log" | sed 's/^/    /' >&2
			return 0
		fi
		((rc == 1)) && NOTE[$key]="exit 1: some inputs unreadable"
		# GNU time: WALL RSS USER SYS; the wrappers: WALL RSS CPU [ANON]
		read -r w r c a <"$work/t"
		if [[ $timer == gnu ]]; then c=$(awk -v u="$c" -v s="$a" 'BEGIN{printf "%.2f", u + s}') a=0; fi
		((${a:-0} > ${ANON[$key]:-0})) && ANON[$key]=$a
		printf '  %-28s run %d: %6.2f s wall, %6.2f s CPU, %7.1f MB RSS\n' "$label ($threads)" "$i" "$w" "$c" \
			"$(awk -v r="$r" 'BEGIN{print r/1024}')" >&2
		if [[ -z $best ]] || awk -v a="$w" -v b="$best" 'BEGIN{exit !(a < b)}'; then best=$w; fi
		if [[ -z $cbest ]] || awk -v a="$c" -v b="$cbest" 'BEGIN{exit !(a < b)}'; then cbest=$c; fi
		((r > peak)) && peak=$r
	done
	WALL[$key]=$best RSS[$key]=$peak CPU[$key]=$cbest
}

fmt_row() { # fmt_row KEY [EXTRA]: EXTRA is one more column before the note
	local k=$1 x=${2+ $2 |}
	if [[ -z ${WALL[$k]:-} ]]; then
		printf '| %s | %s | %s | – | – | – | – | – |%s %s |\n' "${LABEL[$k]}" "${INPUT[$k]}" "${THREADS[$k]}" \
			"${2+ – |}" "${NOTE[$k]:-}"
		return
	fi
	awk -v l="${LABEL[$k]}" -v inp="${INPUT[$k]}" -v th="${THREADS[$k]}" -v w="${WALL[$k]}" -v b="${BYTES[$k]}" \
		-v m="${MSGS[$k]}" -v r="${RSS[$k]}" -v c="${CPU[$k]}" -v x="$x" -v n="${NOTE[$k]:-}" 'BEGIN {
		w0 = (w > 0 ? w : 0.01)
		printf "| %s | %s | %s | %.2f | %.2f | %.1f | %.0f | %.1f |%s %s |\n", l, inp, th, w, c, b / 1e6 / w0, m / w0, r / 1024, x, n }'
}

ratio() { # ratio TEXT KEY_A KEY_B MODE
	# MODE wall: wall(A)/wall(B) and CPU(A)/CPU(B); tput: (MB/s of A)/(MB/s of B) and the same per
	# CPU second; speedup: wall(A)/wall(B) alone. CPU seconds hold up on a busy machine; wall does not.
	local text=$1 a=$2 b=$3 mode=$4
	[[ -n ${WALL[$a]:-} && -n ${WALL[$b]:-} ]] || return 0
	awk -v t="$text" -v wa="${WALL[$a]}" -v wb="${WALL[$b]}" -v ca="${CPU[$a]}" -v cb="${CPU[$b]}" \
		-v ba="${BYTES[$a]}" -v bb="${BYTES[$b]}" -v mode="$mode" 'BEGIN {
		if (wa <= 0) wa = 0.01; if (wb <= 0) wb = 0.01; if (ca <= 0) ca = 0.01; if (cb <= 0) cb = 0.01
		if (mode == "speedup") { printf "- %s: **%.2f×**\n", t, wa / wb; exit }
		if (mode == "wall") { x = wa / wb; y = ca / cb } else { x = (ba / wa) / (bb / wb); y = (ba / ca) / (bb / cb) }
		printf "- %s: **%.2f×** wall, %.2f× CPU\n", t, x, y }'
}

source_rev() { # the commit trawl's sources are at, and whether the tree has changes
	local rev
	rev=$(git -C "$root" rev-parse --short HEAD 2>/dev/null) || { echo "unknown source"; return; }
	git -C "$root" diff --quiet HEAD -- 2>/dev/null || rev="$rev + uncommitted changes"
	echo "source $rev"
}

machine() {
	local cpu
	cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
	printf '%s; %s cores (nproc); %s; %s; %s; load average %s at start, %s at end\n' "$(date -u +%Y-%m-%d)" \
		"$ncpu" "${cpu:-unknown CPU}" "$(awk '/MemTotal/ {printf "%.0f GB RAM", $2 / 1048576}' /proc/meminfo)" \
		"$(uname -sr)" "$load0" "$(cut -d' ' -f1 /proc/loadavg)"
}

load0=$(cut -d' ' -f1 /proc/loadavg)
src0=$(source_rev) # at the start: others may commit while this runs
work=$(mktemp -d "$dir/run.XXXXXX")
trap 'rm -rf "$work"' EXIT

gen() { # gen SIZE FORMAT -> corpus folder
	local out=$dir/corpus-$tag-$1
	python3 "$here/gen.py" --seed "$seed" --profile "$profile" --size "$1" --format "$2" --out "$out" >&2
	echo "$out"
}

fresh_index() { rm -rf "$work/idx"; }

# ------------------------------------------------------------ flatness
if [[ ${BENCH_FLAT:-} == 1 ]]; then
	runs=1
	timer=sampled
	fsize=${BENCH_FLAT_SIZE:-200M}
	small=$(gen "${fsize^^}" mbox)
	big=$dir/corpus-$tag-${fsize^^}-x10
	python3 "$here/gen.py" --repeat 10 --from "$small" --out "$big" >&2
	for c in "$small" "$big"; do
		cat "$c/corpus.mbox" >/dev/null # from the page cache, as below
		b=$(manifest "$c" mbox_bytes) m=$(manifest "$c" messages)
		mb=$(awk -v b="$b" 'BEGIN{printf "%.0f MB", b / 1e6}')
		measure "scan-$mb" "trawl scan" "mbox $mb" "default ($ncpu)" "$b" "$m" fresh_index /dev/null -- \
			"$trawl" scan --quiet --index "$work/idx" "$c/corpus.mbox"
		fresh_index
		measure "detect-$mb" "trawl detect" "mbox $mb" "default ($ncpu)" "$b" "$m" : /dev/null -- \
			"$trawl" detect --quiet "$c/corpus.mbox"
	done
	echo
	echo "Flatness check (profile $profile), $(machine); $("$trawl" --version 2>/dev/null | head -n1) ($src0)"
	echo
	echo '| run | input | threads | wall s | CPU s | MB/s | msgs/s | peak RSS MB | peak anon RSS MB | note |'
	echo '|---|---|---|---:|---:|---:|---:|---:|---:|---|'
	for k in "${keys[@]}"; do
		fmt_row "$k" "$(awk -v a="${ANON[$k]:-0}" 'BEGIN { printf "%.1f", a / 1024 }')"
	done
	echo
	for what in scan detect; do
		a=()
		for k in "${keys[@]}"; do [[ $k == $what-* ]] && a+=("$k"); done
		((${#a[@]} == 2)) && [[ -n ${RSS[${a[0]}]:-} && -n ${RSS[${a[1]}]:-} ]] &&
			awk -v w="$what" -v r1="${RSS[${a[0]}]}" -v r2="${RSS[${a[1]}]}" -v a1="${ANON[${a[0]}]:-0}" \
				-v a2="${ANON[${a[1]}]:-0}" 'BEGIN {
				printf "- trawl %s, 10× the input: peak RSS %.1f → %.1f MB (**%.2f×**), peak anonymous RSS %.1f → %.1f MB (**%.2f×**)\n",
					w, r1 / 1024, r2 / 1024, r2 / r1, a1 / 1024, a2 / 1024, (a1 > 0 ? a2 / a1 : 0) }'
	done
	echo
	echo "Peak RSS is ru_maxrss (GNU time's %M): it counts the pages of an mmap()ed input"
	echo "as they are read. Peak anonymous RSS (RssAnon, sampled every 20 ms) is the heap."
	exit 0
fi

# ---------------------------------------------------------------- bench
bytes=$(to_bytes "$size")
runs=${BENCH_RUNS:-$((bytes > 500 * 1048576 ? 1 : 3))}
corpus=$(gen "$size" both)
mbox=$corpus/corpus.mbox
maildir=$corpus/maildir
msgs=$(manifest "$corpus" messages)
mbytes=$(manifest "$corpus" mbox_bytes)
dbytes=$(manifest "$corpus" maildir_bytes)
min=$(awk -v b="$mbytes" 'BEGIN{printf "mbox %.0f MB", b / 1e6}')
din=$(awk -v b="$dbytes" 'BEGIN{printf "maildir %.0f MB", b / 1e6}')
echo "bench: $msgs messages, $min, $din; $runs run(s) each; timer: $timer" >&2
# Read the corpus once first, so that every run reads it from the page
# cache: the first run over the maildir otherwise paid for its 100,000
# files coming back from disk (trawl scan --threads 1 of the maildir:
# 19.8 s cold, 10.0 s warm).
cat "$mbox" >/dev/null
find "$maildir" -type f -print0 | xargs -0 cat >/dev/null

measure scan1 "trawl scan" "$min" 1 "$mbytes" "$msgs" fresh_index /dev/null -- \
	"$trawl" scan --quiet --threads 1 --index "$work/idx" "$mbox"
measure scanN "trawl scan" "$min" "default ($ncpu)" "$mbytes" "$msgs" fresh_index /dev/null -- \
	"$trawl" scan --quiet --index "$work/idx" "$mbox"
measure detect1 "trawl detect" "$min" 1 "$mbytes" "$msgs" : /dev/null -- \
	"$trawl" detect --quiet --threads 1 "$mbox"
measure detectN "trawl detect" "$min" "default ($ncpu)" "$mbytes" "$msgs" : /dev/null -- \
	"$trawl" detect --quiet "$mbox"
measure scanD1 "trawl scan" "$din" 1 "$dbytes" "$msgs" fresh_index /dev/null -- \
	"$trawl" scan --quiet --threads 1 --index "$work/idx" "$maildir"
measure scanD "trawl scan" "$din" "default ($ncpu)" "$dbytes" "$msgs" fresh_index /dev/null -- \
	"$trawl" scan --quiet --index "$work/idx" "$maildir"
fresh_index

if command -v notmuch >/dev/null; then
	fresh_notmuch() {
		rm -rf "$work/nm" && mkdir -p "$work/nm/db" "$work/nm/hooks"
		cat >"$work/nm/config" <<-EOF
			[database]
			path=$work/nm/db
			mail_root=$maildir
			hook_dir=$work/nm/hooks
			[user]
			name=bench
			primary_email=bench@example.org
			[new]
			tags=
			ignore=
			[maildir]
			synchronize_flags=false
		EOF
	}
	measure notmuch "notmuch new" "$din" 1 "$dbytes" "$msgs" fresh_notmuch "$work/notmuch.out" -- \
		notmuch --config="$work/nm/config" new --quiet
	rm -rf "$work/nm"
fi
if command -v mu >/dev/null; then
	fresh_mu() { rm -rf "$work/mu" && mu init --muhome="$work/mu" --maildir="$maildir" >/dev/null 2>&1; }
	measure mu "mu index" "$din" "mu's own" "$dbytes" "$msgs" fresh_mu "$work/mu.out" -- \
		mu index --muhome="$work/mu" --quiet
	rm -rf "$work/mu"
fi
if command -v rg >/dev/null; then
	# email | IPv4 | card (13-19 digits, spaces or dashes) | phone (+/0 prefixed, or US 3-3-4)
	measure rg "rg -c (PII regexes)" "$min" 1 "$mbytes" "$msgs" : "$work/rg.out" -- \
		rg -a -c \
		-e '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}' \
		-e '\b(?:[0-9]{1,3}\.){3}[0-9]{1,3}\b' \
		-e '\b(?:[0-9][ -]?){12,18}[0-9]\b' \
		-e '(?:\+|\b0)[0-9][0-9 ()/.-]{6,}[0-9]\b' \
		-e '\(?\b[0-9]{3}\)?[ .-][0-9]{3}[ .-][0-9]{4}\b' \
		"$mbox"
fi

{
	echo
	echo "trawl bench, $(machine)"
	echo "$("$trawl" --version 2>/dev/null | head -n1) ($src0); corpus profile $profile, seed $seed, $msgs messages, $min / $din; best of $runs run(s), warm page cache"
	echo
	echo '| run | input | threads | wall s | CPU s | MB/s | msgs/s | peak RSS MB | note |'
	echo '|---|---|---|---:|---:|---:|---:|---:|---|'
	for k in "${keys[@]}"; do fmt_row "$k"; done
	echo
	ratio "trawl scan (mbox, default threads) wall time vs rg -c" scanN rg wall
	ratio "trawl detect (mbox, default threads) wall time vs rg -c" detectN rg wall
	ratio "trawl scan vs notmuch new, throughput (mbox vs maildir)" scanN notmuch tput
	ratio "trawl scan vs notmuch new, throughput (both maildir)" scanD notmuch tput
	ratio "trawl scan vs mu index, throughput (both maildir)" scanD mu tput
	if ((ncpu > 1)); then
		ratio "trawl scan (mbox), $ncpu threads vs 1, speed-up" scan1 scanN speedup
		ratio "trawl detect (mbox), $ncpu threads vs 1, speed-up" detect1 detectN speedup
		ratio "trawl scan (maildir), $ncpu threads vs 1, speed-up" scanD1 scanD speedup
	fi
} | tee "$dir/results-$tag-$size.md"
