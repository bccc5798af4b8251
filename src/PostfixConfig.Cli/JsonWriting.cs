using System.Text.Json;

namespace PostfixConfig.Cli;

/// <summary>Small helpers the commands' JSON output shares.</summary>
internal static class JsonWriting
{
    /// <summary>A string property, or <c>null</c> when there is no value.</summary>
    public static void NullableString(this Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
