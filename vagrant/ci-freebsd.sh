#!/bin/sh
# ci-freebsd.sh: what a CI machine running FreeBSD does, after vagrant/provision.sh has
# made it ready and marked it throwaway (.cirrus.yml, .github/workflows/freebsd.yml):
#  1. make test: the unit tests, the shell tests and the scenarios on the model and the
#     freebsd target (tests/run.sh), closing with "N passed, N failed, N skipped";
#  2. every scenario on the freebsd target alone, JUnit in results/junit-freebsd.xml;
#  3. every scenario on freebsd and model side by side (-t freebsd,model): each probe
#     where real pf and the model disagree is named, JUnit in
#     results/junit-freebsd-model.xml.
# Each step runs even when an earlier one failed; the exit status is the worst of them.
# The results (pcaps per probe, failure dumps, system.txt, JUnit) stay under results/
# for the CI to upload. Run from the top of the tree, as root.
cd "$(dirname "$0")/.." || exit 2
rc=0
step() {
	printf '\n### %s\n' "$*"
	"$@" || rc=1
}
uname -a
freebsd-version -ku
step make test
step ./pfharness run --no-color --target freebsd --junit results/junit-freebsd.xml \
    scenarios
step ./pfharness run --no-color --target freebsd,model \
    --junit results/junit-freebsd-model.xml scenarios
exit $rc
