namespace PostfixConfig.Cli;

/// <summary>
/// Colour on a terminal: only when the stream is a terminal (never when redirected to a file or a
/// pipe), <c>NO_COLOR</c> is unset or empty (https://no-color.org), and <c>TERM</c> is not <c>dumb</c>.
/// </summary>
internal static class Terminal
{
    /// <summary>Whether to colour a stream, given whether it is redirected and the environment.</summary>
    public static bool ShouldColour(bool redirected, string? noColor, string? term) =>
        !redirected && string.IsNullOrEmpty(noColor) && !string.Equals(term, "dumb", StringComparison.Ordinal);

    /// <summary>The width of the terminal standard output goes to, or <see langword="null"/> when it is redirected (or the width is unknown).</summary>
    public static int? Width()
    {
        if (Console.IsOutputRedirected)
        {
            return null;
        }

        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary><paramref name="writer"/> as it should be used for a stream: wrapped in a <see cref="ColourWriter"/> when colour is on.</summary>
    public static TextWriter For(TextWriter writer, bool redirected) =>
        ShouldColour(redirected, Environment.GetEnvironmentVariable("NO_COLOR"), Environment.GetEnvironmentVariable("TERM"))
            ? new ColourWriter(writer)
            : writer;
}

/// <summary>
/// A writer that goes to a terminal, which tells <see cref="DiagnosticPrinter"/> that it may use
/// ANSI colours. Everything else is passed through unchanged.
/// </summary>
internal sealed class ColourWriter(TextWriter inner) : TextWriter
{
    public const string Red = "\u001b[1;31m";
    public const string Yellow = "\u001b[33m";
    public const string Cyan = "\u001b[36m";
    public const string Reset = "\u001b[0m";

    public override System.Text.Encoding Encoding => inner.Encoding;

    public override string NewLine
    {
        get => inner.NewLine;
#pragma warning disable CS8765 // TextWriter.NewLine's setter takes null as "the default"; so does the inner writer.
        set => inner.NewLine = value;
#pragma warning restore CS8765
    }

    public override void Write(char value) => inner.Write(value);

    public override void Write(string? value) => inner.Write(value);

    public override void Write(ReadOnlySpan<char> buffer) => inner.Write(buffer);

    public override void Write(char[] buffer, int index, int count) => inner.Write(buffer, index, count);

    public override void WriteLine() => inner.WriteLine();

    public override void WriteLine(string? value) => inner.WriteLine(value);

    public override void Flush() => inner.Flush();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
