"""regionadmin completion bash: Tab completion of commands, flags and their fixed values.

The script is generated from the parser itself, so it cannot go stale: a new command or flag
completes as soon as it exists. Report names come from the report registry. Works in bash;
zsh users load it after `autoload -U bashcompinit && bashcompinit`.
"""

from __future__ import annotations

import argparse
import shlex

# Flags whose value is a file or folder: completed by the shell's own file completion.
_FILE_METAVARS = {"FIL", "FILE", "MAPP"}

_SCRIPT = """\
# regionadmin: Tab completion for bash (made by `regionadmin completion bash`).
_regionadmin_complete() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    local path="." i word skip=0 chosen=0
    declare -A words=( %(words)s )
    declare -A flags=( %(flags)s )
    declare -A values=( %(values)s )
    declare -A files=( %(files)s )
    for (( i = 1; i < COMP_CWORD; i++ )); do
        word=${COMP_WORDS[i]}
        if (( skip )); then skip=0; continue; fi
        if [[ -n ${values["$path|$word"]+x} || -n ${files["$path|$word"]+x} ]]; then
            skip=1
        elif [[ $word != -* && " ${words[$path]} " == *" $word "* ]]; then
            if [[ -n ${words["$path $word"]+x} ]]; then path="$path $word"; else chosen=1; fi
        fi
    done
    if [[ -n ${files["$path|$prev"]+x} ]]; then
        COMPREPLY=( $(compgen -f -- "$cur") )
    elif [[ -n ${values["$path|$prev"]+x} ]]; then
        COMPREPLY=( $(compgen -W "${values["$path|$prev"]}" -- "$cur") )
    elif [[ $cur == -* ]]; then
        COMPREPLY=( $(compgen -W "${flags[$path]}" -- "$cur") )
    elif (( ! chosen )); then
        COMPREPLY=( $(compgen -W "${words[$path]}" -- "$cur") )
    fi
}
complete -o default -F _regionadmin_complete regionadmin
"""


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "completion",
        help="skriv ett skript för Tab-komplettering i skalet",
        description="Skriver ett bash-skript som kompletterar kommandon, flaggor och "
        "rapportnamn med Tab. Lägg till i ~/.bashrc: "
        'eval "$(regionadmin completion bash)". I zsh: kör först '
        "autoload -U bashcompinit && bashcompinit.",
    )
    parser.add_argument("shell", choices=["bash"], metavar="SKAL", help="skalet: bash")
    parser.set_defaults(handler=run, needs_db=False)


def run(args: argparse.Namespace) -> int:
    from tui.cli import build_parser  # the whole parser, built as for any command

    print(bash_script(build_parser()), end="")
    return 0


def bash_script(parser: argparse.ArgumentParser) -> str:
    """Tables keyed by the command path (". unit list"), and "path|--flag" for flag values;
    bash refuses an empty key, hence the leading dot."""
    words: dict[str, list[str]] = {}
    flags: dict[str, list[str]] = {}
    values: dict[str, list[str]] = {}
    files: dict[str, str] = {}
    # Here, not at the top: every command builds the whole parser, and the report
    # registry would otherwise be imported at each start of the command line.
    from reports import registry

    _walk(parser, ".", (words, flags, values, files))
    words[". report"] = words.get(". report", []) + sorted(registry.discover())
    return _SCRIPT % {
        "words": _assoc({key: " ".join(items) for key, items in words.items()}),
        "flags": _assoc({key: " ".join(items) for key, items in flags.items()}),
        "values": _assoc({key: " ".join(items) for key, items in values.items()}),
        "files": _assoc(files),
    }


def _walk(parser: argparse.ArgumentParser, path: str, tables: tuple) -> None:
    words, flags, values, files = tables
    here = words.setdefault(path, [])
    here_flags = flags.setdefault(path, [])
    # argparse has no public walk over a parser's actions; this is the one place we read
    # them (tests/test_cli_completion.py breaks loudly if that changes).
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                here.append(name)
                _walk(child, f"{path} {name}", tables)
            continue
        for flag in action.option_strings:
            here_flags.append(flag)
            if action.nargs == 0:
                continue
            metavar = str(action.metavar or "")
            if action.choices:
                values[f"{path}|{flag}"] = [str(choice) for choice in action.choices]
            elif "|" in metavar:  # a closed set spelled in the help, e.g. pdf|xlsx|csv
                values[f"{path}|{flag}"] = metavar.split("|")
            elif metavar.upper() in _FILE_METAVARS:
                files[f"{path}|{flag}"] = "1"
            else:
                values[f"{path}|{flag}"] = []
        if not action.option_strings and action.choices and action.dest != "help":
            here.extend(str(choice) for choice in action.choices)


def _assoc(table: dict[str, str]) -> str:
    return " ".join(f"[{shlex.quote(key)}]={shlex.quote(value)}" for key, value in table.items())
