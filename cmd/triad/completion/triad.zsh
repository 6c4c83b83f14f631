#compdef triad
# zsh completion for triad. Load it in this shell (after compinit) with
#   source <(triad completion zsh)
# or for every shell by saving it as _triad in a folder of $fpath:
#   triad completion zsh > "${fpath[1]}/_triad"

_triad() {
    local out directive
    local -a lines cands
    out=$(${words[1]} __complete "${(@)words[2,CURRENT]}" 2>/dev/null) || return 1
    lines=("${(@f)out}")
    directive=" ${lines[-1]#:} "
    cands=("${(@)lines[1,-2]}")
    if [[ $directive == *" nospace "* ]]; then
        compadd -Q -S '' -- "${cands[@]}"
    else
        compadd -Q -- "${cands[@]}"
    fi
    [[ $directive == *" yaml "* ]] && _files -g '*.(yaml|yml)'
    [[ $directive == *" dirs "* ]] && _files -/
    [[ $directive == *" files "* ]] && _files
    return 0
}

if [[ ${funcstack[1]} == _triad ]]; then
    _triad "$@"
else
    compdef _triad triad
fi
