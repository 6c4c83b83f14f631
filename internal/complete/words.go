package complete

import "strings"

// Flag is a flag of a command as completion sees it.
type Flag struct {
	// Name is the long name (without --), Shorthand the one letter of its
	// short form or "".
	Name, Shorthand string
	// Switch is set for a flag that takes no value (--force), Hidden for
	// one that completion does not offer.
	Switch, Hidden bool
}

// Words returns the candidates for the last of words, the words after
// "triad" up to the cursor (the last, maybe empty, is the one to
// complete). commands are the command names; flags returns a command's
// flags, false for a name that is not a command.
func Words(words, commands []string, flags func(cmd string) ([]Flag, bool)) Result {
	cur := words[len(words)-1]
	if len(words) == 1 {
		return Result{Cands: Filter(commands, cur)}
	}
	name := words[0]
	fs, ok := flags(name)
	if !ok {
		if name == "help" && len(words) == 2 {
			return Result{Cands: Filter(commands, cur)}
		}
		return Result{}
	}
	lookup := func(long bool, n string) *Flag {
		for i, f := range fs {
			if long && f.Name == n || !long && f.Shorthand == n {
				return &fs[i]
			}
		}
		return nil
	}
	// Walk the words before the cursor: positional arguments, and whether
	// the last one is a flag that waits for its value.
	var pos []string
	var pending *Flag
	dashdash := false
	for _, w := range words[1 : len(words)-1] {
		if pending != nil {
			pending = nil
			continue
		}
		switch {
		case dashdash || w == "-" || !strings.HasPrefix(w, "-"):
			pos = append(pos, w)
		case w == "--":
			dashdash = true
		case strings.HasPrefix(w, "--"):
			if n, _, hasValue := strings.Cut(w[2:], "="); !hasValue {
				if f := lookup(true, n); f != nil && !f.Switch {
					pending = f
				}
			}
		case len(w) == 2:
			if f := lookup(false, w[1:]); f != nil && !f.Switch {
				pending = f
			}
		}
	}
	switch {
	case pending != nil:
		return Value(name, pending.Name, "", cur, pos)
	case !dashdash && strings.HasPrefix(cur, "--") && strings.Contains(cur, "="):
		n, v, _ := strings.Cut(cur[2:], "=")
		return Value(name, n, "--"+n+"=", v, pos)
	case !dashdash && strings.HasPrefix(cur, "-") && cur != "-":
		var names []string
		for _, f := range fs {
			if !f.Hidden {
				names = append(names, "--"+f.Name)
			}
		}
		names = append(names, "--help")
		return Result{Cands: Filter(names, cur)}
	}
	return Arg(name, len(pos), cur)
}
