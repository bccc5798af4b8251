using PostfixConfig.Catalog;

namespace PostfixConfig;

/// <summary>Where the policy table is written: the first file-based table named in <c>smtp_tls_policy_maps</c>.</summary>
/// <param name="Type">The table type (<c>hash</c>, <c>lmdb</c>, ...).</param>
/// <param name="Path">The table path on the mail host.</param>
internal sealed record PolicyMapTarget(string Type, string Path)
{
    /// <summary>The base name of the file written next to main.cf.</summary>
    public string FileName => System.IO.Path.GetFileName(Path);

    /// <summary>The first file-based table of <paramref name="mapsValue"/> (a <c>smtp_tls_policy_maps</c> value), or <see langword="null"/>.</summary>
    public static PolicyMapTarget? Find(string mapsValue) =>
        MapTypes.FirstFileTable(mapsValue) is { } table ? new PolicyMapTarget(table.Type, table.Path) : null;
}
