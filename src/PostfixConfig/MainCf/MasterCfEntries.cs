using PostfixConfig.Catalog;

namespace PostfixConfig.MainCf;

/// <summary>
/// master.cf entries of managed services, as <c>render</c> writes them and <c>merge</c> adds them:
/// the entry line in the stock file's column layout, then one <c>  -o name=value</c> line per
/// override (the catalog's defaults first, in their order, then the rest by name).
/// </summary>
internal static class MasterCfEntries
{
    /// <summary>Column widths of the stock master.cf: service, type, then the five flag fields.</summary>
    private static readonly int[] Widths = [10, 6, 8, 8, 8, 8, 8];

    /// <summary>The lines of <paramref name="service"/>'s entry (no line ends).</summary>
    public static List<string> Lines(ServiceSettings service, ServiceDefinition definition)
    {
        var lines = new List<string> { EntryLine(service.Listen ?? service.Name, definition.Fields) };
        foreach (var name in OptionOrder(service, definition))
        {
            lines.Add("  -o " + Option(name, service.Overrides[name]));
        }

        return lines;
    }

    /// <summary>The override names in writing order: the catalog's defaults first, then the others by name.</summary>
    public static IEnumerable<string> OptionOrder(ServiceSettings service, ServiceDefinition definition)
    {
        var defaults = definition.Sets.Select(s => s.Name).Where(service.Overrides.ContainsKey).ToList();
        return defaults.Concat(service.Overrides.Keys.Where(k => !defaults.Contains(k, StringComparer.Ordinal)));
    }

    /// <summary>One <c>-o</c> option: <c>name=value</c>, or <c>{ name = value }</c> when the value has white space (3.0+).</summary>
    public static string Option(string name, PostfixValue value)
    {
        var text = value.MasterCfText;
        return text.Any(char.IsWhiteSpace) ? $"{{ {name} = {text} }}" : $"{name}={text}";
    }

    /// <summary>The entry line: service field and the seven fields after it, aligned like the stock file.</summary>
    public static string EntryLine(string service, IReadOnlyList<string> fields)
    {
        var sb = new System.Text.StringBuilder();
        var all = new[] { service }.Concat(fields).ToList();
        for (var i = 0; i < all.Count; i++)
        {
            sb.Append(all[i]);
            if (i < all.Count - 1)
            {
                var width = i < Widths.Length ? Widths[i] : 1;
                sb.Append(' ', Math.Max(1, width - all[i].Length));
            }
        }

        return sb.ToString();
    }
}
