using System.CommandLine;
using PostfixConfig.Catalog;

namespace PostfixConfig.Cli.Commands;

/// <summary><c>params [--postfix-version X.Y]</c>: the TLS parameters of a release with their defaults, like <c>postconf -d</c>.</summary>
internal static class ParamsCommand
{
    public static Command Create(CliIo io)
    {
        var version = CommonOptions.PostfixVersion();
        var command = new Command("params", "List the TLS parameters of a Postfix release with their defaults, as 'postconf -d' prints them.")
        {
            version,
        };
        command.SetAction(parse =>
        {
            var catalog = ParameterCatalog.Default;
            var target = parse.GetValue(version) ?? catalog.Releases.NewestStable;
            var resolved = catalog.Releases.Resolve(target);
            if (target < catalog.Releases.Oldest)
            {
                io.Error.WriteLine($"postfix-config: Postfix {target} has no built-in TLS; the catalog starts at {catalog.Releases.Oldest}.");
                return CliApp.Failure;
            }

            foreach (var p in catalog.ParametersIn(resolved))
            {
                var value = p.DefaultIn(resolved) ?? string.Empty;
                io.Out.WriteLine(value.Length == 0 ? $"{p.Name} =" : $"{p.Name} = {value}");
            }

            return CliApp.Ok;
        });
        return command;
    }
}
