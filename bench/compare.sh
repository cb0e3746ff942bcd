#!/usr/bin/env bash
# compare.sh [N] [RUNS]: build one generated corpus of N incidents with
# debrief and with Hugo (Debian's hugo package, related content on and off),
# alternating, RUNS times each, and print median wall time, peak memory and
# the ratio debrief/Hugo. The machine is shared and noisy: medians, not means.
#
#   apt-get install -y --no-install-recommends hugo   # not plain install: that pulls an old Go
#   bench/compare.sh 10000 3
#   TMPDIR=/dev/shm bench/compare.sh 10000 3   # on tmpfs: CPU, not the disk
set -euo pipefail
N=${1:-1000}
RUNS=${2:-3}
cd "$(dirname "$0")/.."
command -v hugo >/dev/null || { echo "hugo not found: apt-get install -y --no-install-recommends hugo" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time not found (apt-get install -y time)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/debrief" ./cmd/debrief
go run ./cmd/debrief-corpus -n "$N" -out "$work/site" >/dev/null
# The Hugo site reads the same files.
mkdir -p "$work/hugo"
cp -r bench/hugo-site/. "$work/hugo/"
cp -r "$work/site/content" "$work/hugo/content"

measure() { # name command...: prints "seconds kilobytes"
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time.$name" "$@" >/dev/null 2>"$work/err.$name" || { cat "$work/err.$name" >&2; exit 1; }
  cat "$work/time.$name"
}
declare -a d_t d_m h_t h_m n_t n_m
echo "building on $(stat -f -c %T "$work") ($work); TMPDIR=/dev/shm takes the disk out" >&2
for i in $(seq "$RUNS"); do
  # Each output is removed just before its own build, not all three before
  # the first: on ext4, creating files soon after deleting tens of
  # thousands costs system time (the inode allocator skips recently
  # deleted inodes), and the first build alone paid for all three.
  rm -rf "$work/out-d"
  read -r t m < <(measure debrief "$work/debrief" build --source "$work/site" --out "$work/out-d")
  d_t+=("$t"); d_m+=("$m")
  # Hugo without related content right after debrief: the closest race
  # runs back to back, seconds apart, not minutes.
  rm -rf "$work/out-n"
  read -r t m < <(HUGO_PARAMS_RELATED=false measure hugo-norel hugo --quiet --source "$work/hugo" --destination "$work/out-n")
  n_t+=("$t"); n_m+=("$m")
  rm -rf "$work/out-h"
  read -r t m < <(measure hugo hugo --quiet --source "$work/hugo" --destination "$work/out-h")
  h_t+=("$t"); h_m+=("$m")
  echo "run $i: debrief ${d_t[-1]} s ${d_m[-1]} KB | hugo ${h_t[-1]} s ${h_m[-1]} KB | hugo without related ${n_t[-1]} s ${n_m[-1]} KB" >&2
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
dt=$(median "${d_t[@]}"); dm=$(median "${d_m[@]}")
ht=$(median "${h_t[@]}"); hm=$(median "${h_m[@]}")
nt=$(median "${n_t[@]}"); nm=$(median "${n_m[@]}")
printf '%d incidents, %d runs, medians:\n' "$N" "$RUNS"
printf '  debrief                 %8.2f s  %8.0f MB\n' "$dt" "$(echo "$dm/1024" | bc -l)"
printf '  hugo, related content   %8.2f s  %8.0f MB\n' "$ht" "$(echo "$hm/1024" | bc -l)"
printf '  hugo, no related        %8.2f s  %8.0f MB\n' "$nt" "$(echo "$nm/1024" | bc -l)"
printf '  ratio debrief/hugo: time %.2f (related on), %.2f (off); memory %.2f\n' \
  "$(echo "$dt/$ht" | bc -l)" "$(echo "$dt/$nt" | bc -l)" "$(echo "$dm/$hm" | bc -l)"
# A round's builds run one after another: the median of the rounds' own
# ratios is less moved by the machine's slow and fast phases than the
# ratio of medians taken over all rounds.
declare -a r_h r_n
for i in "${!d_t[@]}"; do
  r_h+=("$(echo "${d_t[$i]}/${h_t[$i]}" | bc -l)")
  r_n+=("$(echo "${d_t[$i]}/${n_t[$i]}" | bc -l)")
done
printf '  median of the rounds'"'"' ratios: time %.2f (related on), %.2f (off)\n' "$(median "${r_h[@]}")" "$(median "${r_n[@]}")"
