using PostfixConfig.Text;

namespace PostfixConfig.Certificates;

/// <summary>
/// Expands <c>$</c> references in a main.cf value with the one expander (<see cref="MacroExpander"/>),
/// using the configuration's own parameters only: a reference to a parameter the configuration does not
/// set is unresolved (Postfix would use its built-in default, which depends on the host), except
/// <c>config_directory</c>, which falls back to the given folder.
/// </summary>
internal sealed class ParameterExpander(ParameterMap main, string configDirectory)
{
    /// <summary>Expands <paramref name="text"/>; <paramref name="unresolved"/> names the first reference that could not be resolved, or the syntax error.</summary>
    public string? Expand(string text, out string? unresolved)
    {
        var r = new MacroExpander(Lookup).Expand(text);
        unresolved = r.Unknown is { } name ? "$" + name : r.Error;
        return r.Value;
    }

    private MacroValue Lookup(string name) => main.GetText(name) is { } value
        ? MacroValue.Of(value)
        : name == "config_directory" ? MacroValue.Of(configDirectory) : MacroValue.Unknown;
}
