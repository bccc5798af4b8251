using System.CommandLine;
using PostfixConfig.Catalog;

namespace PostfixConfig.Cli.Commands;

/// <summary>
/// <c>schema [--postfix-version X.Y]</c>: prints the JSON Schema of the YAML configuration for a
/// release (the newest stable one by default), generated from the parameter catalog, for editors.
/// </summary>
internal static class SchemaCommand
{
    public static Command Create(CliIo io)
    {
        var version = CommonOptions.PostfixVersion();
        version.Description = "The Postfix release the schema is for (X.Y or X.Y.Z); the newest stable release by default.";
        var command = new Command("schema", "Print the JSON Schema (draft 2020-12) of the YAML configuration for a Postfix release, for editors and the YAML language server.")
        {
            version,
        };
        command.SetAction(parse =>
        {
            var catalog = ParameterCatalog.Default;
            var target = parse.GetValue(version) ?? catalog.Releases.NewestStable;
            if (target < catalog.Releases.Oldest || !catalog.Releases.IsKnownLine(target))
            {
                io.Error.WriteLine($"postfix-config: the catalog knows Postfix {catalog.Releases.Oldest} to {catalog.Releases.Newest[^1].Line}, not {target}.");
                return CliApp.Failure;
            }

            io.Out.Write(PostfixTls.JsonSchema(target));
            return CliApp.Ok;
        });
        return command;
    }
}
