using System.Collections.Frozen;
using PostfixConfig.Text;

namespace PostfixConfig.Catalog;

/// <summary>
/// The lookup table types whose source is a file of <c>key value</c> lines, and what <c>postmap</c>
/// makes of them: the indexed types are compiled into database files next to the source
/// (postmap(1), DATABASE_README), <c>texthash</c> is read from the source at run time.
/// </summary>
/// <remarks>Every place that needs to know a table type's files asks here (rendering, checks, apply).</remarks>
internal static class MapTypes
{
    /// <summary>Indexed types and the suffixes of the files <c>postmap TYPE:FILE</c> writes (FILE + suffix).</summary>
    public static readonly FrozenDictionary<string, string[]> Indexed = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["hash"] = [".db"],
        ["btree"] = [".db"],
        ["lmdb"] = [".lmdb"],
        ["cdb"] = [".cdb"],
        ["dbm"] = [".dir", ".pag"],
        ["sdbm"] = [".dir", ".pag"],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The type read from its source file at run time (no postmap; no <c>postmap -F</c> either).</summary>
    public const string TextHash = "texthash";

    /// <summary>Every type whose source is a file of <c>key value</c> lines.</summary>
    public static readonly string[] FileTypes = [.. Indexed.Keys.Order(StringComparer.Ordinal), TextHash];

    /// <summary>Whether <paramref name="type"/> is compiled by postmap into database files.</summary>
    public static bool IsIndexed(string type) => Indexed.ContainsKey(type);

    /// <summary>
    /// The first file-based table (<c>TYPE:/path</c>) of a maps parameter value (<c>hash:/etc/postfix/tls_policy</c>),
    /// or <see langword="null"/> when there is none.
    /// </summary>
    public static (string Type, string Path)? FirstFileTable(string mapsValue)
    {
        foreach (var item in PostfixText.SplitList(mapsValue))
        {
            var colon = item.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var type = item[..colon];
            var path = item[(colon + 1)..];
            if (FileTypes.Contains(type, StringComparer.Ordinal) && path.Length > 0 && !path.EndsWith('/'))
            {
                return (type, path);
            }
        }

        return null;
    }
}
