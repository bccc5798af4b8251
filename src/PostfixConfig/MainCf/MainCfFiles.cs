using PostfixConfig.Diagnostics;
using PostfixConfig.IO;

namespace PostfixConfig.MainCf;

/// <summary>Reads main.cf and master.cf files within <see cref="InputLimits.ConfigFileBytes"/>, also from pipes and devices.</summary>
internal static class MainCfFiles
{
    /// <summary>
    /// Reads and decodes <paramref name="path"/> (see <see cref="MainCfDocument.Decode"/>); the refusal
    /// (<c>PFX0006</c>) when it holds more than the limit, else <see langword="null"/>.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="text">The text read.</param>
    /// <param name="isUtf8">Whether it was UTF-8.</param>
    /// <param name="regularOnly">Refuse a FIFO, device or socket without opening it (for files found by name rather than given).</param>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read.</exception>
    public static DiagnosticList? Read(string path, out string text, out bool isUtf8, bool regularOnly = false)
    {
        try
        {
            (text, isUtf8) = MainCfDocument.Decode(BoundedFile.ReadAllBytes(path, InputLimits.ConfigFileBytes, regularOnly));
            return null;
        }
        catch (InputTooLargeException e)
        {
            (text, isUtf8) = (string.Empty, true);
            return DiagnosticList.Create([TooLarge(path, e)]);
        }
    }

    /// <summary>The error for a main.cf or master.cf over the limit.</summary>
    public static Diagnostic TooLarge(string path, InputTooLargeException e) =>
        new(DiagnosticSeverity.Error, DiagnosticCodes.InputTooLarge, null,
            $"{e.Message} Postfix has no hard limit, but real main.cf and master.cf files are kilobytes; this is not one.",
            new SourceSpan(path, 1, 1));
}
