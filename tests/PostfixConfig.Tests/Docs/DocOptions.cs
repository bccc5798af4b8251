using System.Text;
using PostfixConfig.Cli;

namespace PostfixConfig.Tests.Docs;

/// <summary>
/// The option tables of docs/commands.md, written from the CLI's own commands: each option's
/// description is the text <c>--help</c> prints, so the docs and the help use the same wording.
/// </summary>
internal static class DocOptions
{
    public const string PagePath = "docs/commands.md";
    public const string Begin = "<!-- options:begin (generated from the CLI by Docs/DocOptionsTests; UPDATE_GOLDEN=1 rewrites it) -->";
    public const string End = "<!-- options:end -->";

    public static string Generate()
    {
        var root = CliApp.BuildRoot(new CliIo(TextWriter.Null, TextWriter.Null));
        var text = new StringBuilder();
        text.Append(Begin).Append('\n');
        var global = root.Options.Where(o => o.Recursive && !o.Hidden).ToList();
        foreach (var command in root.Subcommands.Where(c => !c.Hidden))
        {
            text.Append("\n### ").Append(CliHelp.NameOf(command)).Append("\n\n");
            text.Append(Cell(command.Description ?? string.Empty)).Append("\n\n");
            text.Append("| argument or option | description |\n| --- | --- |\n");
            foreach (var argument in command.Arguments.Where(a => !a.Hidden))
            {
                text.Append("| `").Append(argument.Name).Append("` | ").Append(Cell(argument.Description ?? string.Empty)).Append(" |\n");
            }

            foreach (var option in command.Options.Concat(global).Where(o => !o.Hidden && o.Name is not ("--help" or "-h" or "-?")))
            {
                var names = new[] { option.Name }.Concat(option.Aliases.Order(StringComparer.Ordinal)).Distinct(StringComparer.Ordinal);
                text.Append("| `").Append(string.Join("`, `", names)).Append("` | ").Append(Cell(option.Description ?? string.Empty)).Append(" |\n");
            }
        }

        text.Append('\n').Append(End);
        return text.ToString();
    }

    private static string Cell(string text) =>
        string.Join(' ', text.Split((char[])['\n', '\r', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries)).Replace("|", "\\|", StringComparison.Ordinal);
}
