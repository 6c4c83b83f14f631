# fish completion for triad. Load it in this shell with
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
