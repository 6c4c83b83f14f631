package main

import (
	"fmt"
	"io"

	"github.com/spf13/pflag"
)

// shells are the shells triad completion writes scripts for.
var shells = []string{"bash", "zsh", "fish"}

func runCompletion(e *env, fs *pflag.FlagSet) error {
	if fs.NArg() != 1 {
		return usagef("completion", "completion takes one shell: bash, zsh or fish")
	}
	script, ok := completionScripts[fs.Arg(0)]
	if !ok {
		return usagef("completion", "no completion for %q: the shells are bash, zsh and fish", fs.Arg(0))
	}
	_, err := io.WriteString(e.stdout, script)
	return err
}

// completionScripts are static: each hands the words before the cursor
// to `triad __complete` (see complete.go) and offers what it prints.
var completionScripts = map[string]string{
	"bash": `# bash completion for triad. Load it in this shell with
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
`,
	"zsh": `#compdef triad
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
`,
	"fish": `# fish completion for triad. Load it in this shell with
#   triad completion fish | source
# or for every shell with
#   triad completion fish > ~/.config/fish/completions/triad.fish

function __triad_complete
    set -l words (commandline -opc) (commandline -ct)
    set -l out ($words[1] __complete $words[2..-1] 2>/dev/null)
    or return
    set -l directive (string split ' ' -- (string sub -s 2 -- $out[-1]))
    set -e out[-1]
    printf '%s\n' $out
    if contains yaml $directive
        __fish_complete_suffix .yaml
        __fish_complete_suffix .yml
    end
    if contains dirs $directive
        __fish_complete_directories (commandline -ct)
    end
    if contains files $directive
        __fish_complete_path (commandline -ct)
    end
end

complete -c triad -f -a '(__triad_complete)'
`,
}

// completionHelp is the long help of completion.
var completionHelp = fmt.Sprintf(`Print a script that completes triad's commands, flags, built-in
scenario names and scenario files, and the parameter paths of --set,
--sweep and --policy (of the scenario on the command line, or of
three-hubs before one is given), for bash, zsh or fish:

  source <(triad completion bash)      # bash, in ~/.bashrc
  source <(triad completion zsh)       # zsh, in ~/.zshrc after compinit
  triad completion fish | source       # fish, in config.fish

The script asks triad itself for the candidates, so it stays right when
triad is updated. Shells: %v.
`, shells)
