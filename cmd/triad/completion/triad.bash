# bash completion for triad. Load it in this shell with
#   source <(triad completion bash)
# or for every shell with
#   triad completion bash > ~/.local/share/bash-completion/completions/triad

_triad() {
    local cur=${COMP_WORDS[COMP_CWORD]}
    # The words up to the cursor, split at blanks only: bash also splits
    # at = and :, which would cut --set=regions.gba.p in three.
    local line=${COMP_LINE:0:COMP_POINT}
    local -a words
    read -ra words <<< "$line"
    [[ -z $line || $line == *[[:blank:]] ]] && words+=("")
    local word=${words[${#words[@]}-1]}
    # What bash will replace: the end of word after its last = or :.
    local keep=${word%"$cur"}
    local out
    out=$("${words[0]}" __complete "${words[@]:1}" 2>/dev/null) || return 0
    local -a cands=()
    local directive="" c
    while IFS= read -r c; do
        case $c in
        :*) directive=" ${c#:} " ;;
        *) cands+=("${c#"$keep"}") ;;
        esac
    done <<< "$out"
    COMPREPLY=("${cands[@]}")
    [[ $directive == *" nospace "* ]] && compopt -o nospace 2>/dev/null
    local f
    if [[ $directive == *" yaml "* ]]; then
        compopt -o filenames 2>/dev/null
        while IFS= read -r f; do [[ -n $f ]] && COMPREPLY+=("$f"); done < <(compgen -f -X '!*.yaml' -- "$cur"; compgen -f -X '!*.yml' -- "$cur"; compgen -d -- "$cur")
    fi
    if [[ $directive == *" dirs "* ]]; then
        compopt -o filenames 2>/dev/null
        while IFS= read -r f; do [[ -n $f ]] && COMPREPLY+=("$f"); done < <(compgen -d -- "$cur")
    fi
    if [[ $directive == *" files "* ]]; then
        compopt -o filenames 2>/dev/null
        while IFS= read -r f; do [[ -n $f ]] && COMPREPLY+=("$f"); done < <(compgen -f -- "$cur")
    fi
    return 0
}
complete -F _triad triad
