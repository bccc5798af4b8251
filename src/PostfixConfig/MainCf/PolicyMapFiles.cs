using PostfixConfig.Diagnostics;

namespace PostfixConfig.MainCf;

/// <summary>Finds and reads the policy table source file that main.cf's <c>smtp_tls_policy_maps</c> names.</summary>
internal static class PolicyMapFiles
{

    /// <summary>
    /// The table named in <c>smtp_tls_policy_maps</c>, read from the folder of main.cf under its base
    /// name; <see langword="null"/> (with an information diagnostic) when it is not there or not a file table.
    /// </summary>
    public static TlsPolicyTable? ReadNextTo(MainCfDocument document, ParameterExpansion expansion, List<Diagnostic> diagnostics)
    {
        if (document.Find("smtp_tls_policy_maps") is not { } maps || document.Path is null)
        {
            return null;
        }

        var value = expansion.ExpandParameter(maps.Name).Value ?? maps.Value;
        if (value.Trim().Length == 0)
        {
            return null;
        }

        if (PolicyMapTarget.Find(value) is not { } target)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Info, DiagnosticCodes.PolicyMapNotRead, maps.Name,
                $"smtp_tls_policy_maps = {maps.Value} names no file-based table ({string.Join(", ", Catalog.MapTypes.FileTypes)}), so its entries were not checked.",
                maps.ValueSpan));
            return null;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(document.Path)) ?? ".";
        var file = Path.Combine(folder, target.FileName);
        try
        {
            return Read(file, diagnostics, regularOnly: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Info, DiagnosticCodes.PolicyMapNotRead, maps.Name,
                $"The policy table {target.Type}:{target.Path} was not checked: its source file {target.FileName} is not readable next to main.cf ({e.Message}). Pass it with --policy to check it.",
                maps.ValueSpan));
            return null;
        }
    }

    /// <summary>
    /// Reads a policy table source file, at most <see cref="IO.InputLimits.PolicyMapBytes"/> (a larger one
    /// is refused with an error and gives an empty table); with <paramref name="regularOnly"/> a FIFO,
    /// device or socket is not opened.
    /// </summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static TlsPolicyTable Read(string file, List<Diagnostic> diagnostics, bool regularOnly = false)
    {
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"{file} does not exist", file);
        }

        byte[] bytes;
        try
        {
            bytes = IO.BoundedFile.ReadAllBytes(file, IO.InputLimits.PolicyMapBytes, regularOnly);
        }
        catch (IO.InputTooLargeException e)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.InputTooLarge, null,
                $"{e.Message} It was not read; a policy table of 100,000 entries is about 4 MB.", new SourceSpan(file, 1, 1)));
            return TlsPolicyTable.Empty;
        }

        var (text, _) = MainCfDocument.Decode(bytes);
        var (table, found) = PolicyMapReader.Read(text, file);
        diagnostics.AddRange(found);
        return table;
    }
}
