using PostfixConfig.Catalog;
using PostfixConfig.Schema;

namespace PostfixConfig;

public static partial class PostfixTls
{
    /// <summary>
    /// The JSON Schema (draft 2020-12) of the YAML configuration for a Postfix release, generated from
    /// the parameter catalog: every parameter the release does not reject with its kind (levels as
    /// their words, booleans as yes/no/true/false, lists as a YAML list or one text), a description
    /// with the releases that introduced or deprecated it, <c>deprecated: true</c> where Postfix
    /// deprecates, ignores or no longer has it, and the policy table's entries with the attributes of
    /// that release. Point the YAML language server at it with
    /// <c># yaml-language-server: $schema=postfix-config.schema.json</c>.
    /// </summary>
    /// <param name="postfixVersion">
    /// The release (<c>3.7</c> means its newest patch release); <see langword="null"/> for the newest
    /// stable release the catalog knows, whose schema the package ships as <c>schema/postfix-config.schema.json</c>.
    /// </param>
    /// <returns>The schema as indented JSON text with LF line ends, the same for the same release.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The release is older than 2.2 or newer than any the catalog knows.</exception>
    public static string JsonSchema(PostfixVersion? postfixVersion = null)
    {
        var catalog = ParameterCatalog.Default;
        var target = postfixVersion ?? catalog.Releases.NewestStable;
        if (target < catalog.Releases.Oldest || !catalog.Releases.IsKnownLine(target))
        {
            throw new ArgumentOutOfRangeException(nameof(postfixVersion), target,
                $"The catalog knows Postfix {catalog.Releases.Oldest} to {catalog.Releases.Newest[^1].Line}.");
        }

        return ConfigSchemaWriter.Write(catalog, catalog.Releases.Resolve(target));
    }
}
