using System.CommandLine;

namespace PostfixConfig.Cli.Commands;

/// <summary>
/// <c>completion bash|zsh|fish</c>: prints a shell completion script. The scripts ask the tool itself
/// through System.CommandLine's <c>[suggest:POSITION]</c> directive (what dotnet-suggest does, without
/// needing that tool), so commands, options, option values, release numbers and parameter names
/// complete as the parser knows them; file names fall back to the shell's own completion.
/// </summary>
internal static class CompletionCommand
{
    public static Command Create(CliIo io)
    {
        var shell = new Argument<string>("SHELL")
        {
            Description = "The shell: bash, zsh or fish.",
        }.AcceptOnlyFromAmong("bash", "zsh", "fish");
        var command = new Command("completion", "Print a shell completion script for bash, zsh or fish (see the examples for where to put it).")
        {
            shell,
        };
        command.SetAction(parse =>
        {
            io.Out.Write(Script(parse.GetRequiredValue(shell)));
            return CliApp.Ok;
        });
        return command;
    }

    /// <summary>The completion script for <paramref name="shell"/> (bash, zsh or fish).</summary>
    public static string Script(string shell) => shell switch
    {
        "bash" => Bash,
        "zsh" => Zsh,
        "fish" => Fish,
        _ => throw new ArgumentOutOfRangeException(nameof(shell), shell, "bash, zsh or fish"),
    };

    // The line up to the cursor, without the command word, goes to the tool with its length as the
    // position. Options are offered when the word starts with '-'; otherwise, with nothing else to
    // offer (a CONFIG or MAIN_CF argument), the shell completes file names.
    private const string Bash = """
        # bash completion for postfix-config (postfix-config completion bash)
        _postfix_config() {
            local line="${COMP_LINE:0:COMP_POINT}"
            line="${line#"${COMP_WORDS[0]}"}"
            line="${line#"${line%%[![:space:]]*}"}"
            local IFS=$'\n'
            local suggestions
            suggestions=$("${COMP_WORDS[0]}" "[suggest:${#line}]" "$line" 2>/dev/null) || return 0
            local cur="${COMP_WORDS[COMP_CWORD]}"
            # Options only when the word starts with '-'; nothing left means file names (-o default).
            [[ "$cur" == -* ]] || suggestions=$(grep -v '^-' <<< "$suggestions")
            COMPREPLY=($(compgen -W "$suggestions" -- "$cur"))
        }
        complete -o default -o bashdefault -F _postfix_config postfix-config

        """;

    private const string Zsh = """
        #compdef postfix-config
        # zsh completion for postfix-config (postfix-config completion zsh)
        _postfix_config() {
            local line="${(j: :)${(@)words[2,CURRENT]}}"
            local -a suggestions
            suggestions=("${(@f)$("${words[1]}" "[suggest:${#line}]" "$line" 2>/dev/null)}")
            suggestions=(${suggestions:#})
            [[ "${words[CURRENT]}" == -* ]] || suggestions=(${suggestions:#-*})
            if (( ${#suggestions} )); then
                compadd -a suggestions
            else
                _files
            fi
        }
        if [[ "${funcstack[1]}" == _postfix_config ]]; then
            _postfix_config "$@"
        else
            compdef _postfix_config postfix-config
        fi

        """;

    private const string Fish = """
        # fish completion for postfix-config (postfix-config completion fish)
        function __postfix_config_complete
            set -l tokens (commandline -opc)
            set -l line (string replace -r '^\s*\S+\s*' '' -- (commandline -cp))
            set -l suggestions ($tokens[1] "[suggest:"(string length -- "$line")"]" "$line" 2>/dev/null)
            if not string match -q -- '-*' (commandline -ct)
                set suggestions (string match -v -- '-*' $suggestions)
            end
            if test (count $suggestions) -gt 0
                printf '%s\n' $suggestions
            else
                __fish_complete_path (commandline -ct)
            end
        end
        complete -c postfix-config -f -a '(__postfix_config_complete)'

        """;
}
