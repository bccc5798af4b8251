using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Cli;

/// <summary>
/// Prints diagnostics as text lines or as a JSON array. On a terminal (a <see cref="ColourWriter"/>)
/// the severity is coloured: error red, warning yellow, info cyan; redirected output has no colour.
/// </summary>
internal static class DiagnosticPrinter
{
    public static void Print(IEnumerable<Diagnostic> diagnostics, OutputFormat format, TextWriter writer)
    {
        if (format == OutputFormat.Json)
        {
            writer.WriteLine(ToJson(diagnostics));
            return;
        }

        if (writer is ColourWriter)
        {
            PrintInColour(diagnostics, writer);
            return;
        }

        foreach (var d in diagnostics)
        {
            // One line per diagnostic, whatever a value or file name contains; the usual diagnostic,
            // with nothing to escape, is written piece by piece instead of as one new string.
            if (CliApp.IsOneLine(d.Message) && CliApp.IsOneLine(d.Parameter) && CliApp.IsOneLine(d.Span?.File))
            {
                d.WriteTo(writer);
                writer.WriteLine();
            }
            else
            {
                writer.WriteLine(CliApp.OneLine(d.ToString()));
            }
        }
    }

    private static void PrintInColour(IEnumerable<Diagnostic> diagnostics, TextWriter writer)
    {
        foreach (var d in diagnostics)
        {
            var text = CliApp.OneLine(d.ToString());
            var label = $"{d.SeverityText} {d.Code}";
            var at = text.IndexOf(label, StringComparison.Ordinal);
            if (at < 0)
            {
                writer.WriteLine(text);
                continue;
            }

            var colour = d.Severity switch
            {
                DiagnosticSeverity.Error => ColourWriter.Red,
                DiagnosticSeverity.Warning => ColourWriter.Yellow,
                _ => ColourWriter.Cyan,
            };
            writer.Write(text.AsSpan(0, at));
            writer.Write(colour);
            writer.Write(d.SeverityText);
            writer.Write(ColourWriter.Reset);
            writer.WriteLine(text.AsSpan(at + d.SeverityText.Length));
        }
    }

    public static string ToJson(IEnumerable<Diagnostic> diagnostics)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartArray();
            foreach (var d in diagnostics)
            {
                json.WriteStartObject();
                json.WriteString("severity", d.SeverityText);
                json.WriteString("code", d.Code);
                if (d.Parameter is null)
                {
                    json.WriteNull("parameter");
                }
                else
                {
                    json.WriteString("parameter", d.Parameter);
                }

                json.WriteString("message", d.Message);
                if (d.Span is { } span)
                {
                    if (span.File is null)
                    {
                        json.WriteNull("file");
                    }
                    else
                    {
                        json.WriteString("file", span.File);
                    }

                    json.WriteNumber("line", span.Line);
                    json.WriteNumber("column", span.Column);
                }
                else
                {
                    json.WriteNull("file");
                    json.WriteNull("line");
                    json.WriteNull("column");
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
