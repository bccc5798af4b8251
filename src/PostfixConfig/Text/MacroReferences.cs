using System.Text.RegularExpressions;

namespace PostfixConfig.Text;

/// <summary>The parameter names a Postfix value refers to: <c>$name</c>, <c>${name...}</c> and <c>$(name)</c>.</summary>
/// <remarks>
/// postconf counts a name referred to this way (from main.cf values, defaults and master.cf <c>-o</c> values) as
/// used, so that a user-defined parameter never draws an "unused parameter" warning.
/// </remarks>
internal static partial class MacroReferences
{
    /// <summary>Adds the names <paramref name="text"/> refers to to <paramref name="names"/>.</summary>
    public static void AddTo(string text, HashSet<string> names)
    {
        foreach (Match m in ReferencePattern().Matches(text))
        {
            names.Add(m.Groups[1].Value);
        }
    }

    /// <summary>Whether <paramref name="text"/> refers to the parameter <paramref name="name"/>.</summary>
    public static bool RefersTo(string text, string name)
    {
        foreach (Match m in ReferencePattern().Matches(text))
        {
            if (m.Groups[1].Value == name)
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"\$[{(]?([A-Za-z0-9_]+)")]
    private static partial Regex ReferencePattern();
}
