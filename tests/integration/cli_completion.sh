#!/bin/bash
# The bash completion for oomlens (cli/oomlens.bash-completion), sourced into a plain bash and,
# when installed, next to the bash-completion package: commands, each command's options,
# cause codes and kinds as oomlens itself lists them, and report ids from a spool the real
# daemon wrote.
set -u
. "$(dirname "$0")/lib/common.sh"
need_daemon
[ -x "${OOMLENS:-}" ] || skip "OOMLENS not set"
COMPLETION=$OOMLENS_SRC/cli/oomlens.bash-completion
make_tmp
run_stream gap "$KMSG_DATA/gap.kmsg" --journal=no || fail "daemon exit $?"
S=$RUN_DIR/spool
PATH=$(dirname "$OOMLENS"):$PATH
export PATH S

# complete WORDS...: what the completion offers for the last word, sorted, one line
complete_words() {
        bash --norc --noprofile -c '
                [ -n "${WITH_PACKAGE:-}" ] && . /usr/share/bash-completion/bash_completion
                . "$1"
                shift
                COMP_WORDS=("$@")
                COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
                COMP_LINE="${COMP_WORDS[*]}"
                COMP_POINT=${#COMP_LINE}
                _oomlens oomlens "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
                printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "
        ' _ "$COMPLETION" "$@"
}

check() { # check EXPECTED WORDS...
        local want=$1 got
        shift
        got=$(complete_words "$@")
        [ "$got" = "$want" ] || fail "completion of '$*': got '$got', want '$want'"
}

run_checks() {
        check "analyze follow journal list show stats " oomlens ""
        check "show stats " oomlens s
        check "--help --version " oomlens --
        check "--raw " oomlens show --r
        check "--directory " oomlens journal --d
        check "--no-legend --no-pager " oomlens list --no-
        check "--since --spool-dir " oomlens list --s
        check "memcg_limit mempolicy_constraint " oomlens list --cause mem
        check "memcg_limit mempolicy_constraint " oomlens list --cause=mem
        check "alloc_failure " oomlens stats --kind al
        check "-1 -2 " oomlens journal -b -
        check "--boot " oomlens list --b
        check "dmesg " oomlens analyze --format dm
        ids=$(cd "$S" && ls -- *.json | sed 's/\.json$//' | sort | tr '\n' ' ')
        check "${ids}latest " oomlens show --spool-dir "$S" ""
        check "$(echo "$ids" | cut -d' ' -f2) " oomlens show --spool-dir "$S" "$(echo "$ids" | cut -d' ' -f2 | cut -c1-36)"
        check "$TMP/gap " oomlens list --spool-dir "$TMP/ga"
}
run_checks
ok "completion in a plain bash"
if [ -r /usr/share/bash-completion/bash_completion ]; then
        WITH_PACKAGE=1 run_checks
        ok "completion with the bash-completion package loaded"
fi
echo PASS
