using PostfixConfig.Diagnostics;

namespace PostfixConfig.ReleaseTests.Differential;

/// <summary>
/// The input a release judges for one reason the library gives for refusing to render: the setting
/// the diagnostic names, as the refused input writes it, on the clean base of the differential cases
/// (a main.cf parameter: tried on port 25, or through the SMTP client for <c>smtp_</c>/<c>lmtp_</c>
/// names, and where TLS is mandatory for a <c>_mandatory_</c> one: the submission listener, the client
/// at level encrypt; a policy entry: its level and attributes for the receiver's next hop). Null where the
/// diagnostic names nothing the input sets (a missing setting, the input as a whole).
/// </summary>
internal static class RefusalCases
{
    public static DiffCase? For(TlsConfiguration config, Diagnostic error, int number)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(error);
        var id = $"Q{number:00}";
        var why = $"{error.Code} {error.Parameter}";
        if (error.Parameter is not { } parameter)
        {
            return null;
        }

        if (parameter.StartsWith("tls_policy[", StringComparison.Ordinal) && parameter.EndsWith(']'))
        {
            var destination = parameter["tls_policy[".Length..^1];
            if (config.TlsPolicy.Find(destination) is not { } entry)
            {
                return null;
            }

            var policy = new PolicyEntry(entry.Level, [.. entry.RenderedAttributes().Select(a => (a.Key, a.Value))]);
            return new DiffCase(id, "refusal", $"{why}: {entry.RenderValue()}", [], Probe.Client,
                !entry.Level.Equals("none", StringComparison.OrdinalIgnoreCase), policy);
        }

        if (!config.Main.TryGetValue(parameter, out var value))
        {
            return null;
        }

        var client = parameter.StartsWith("smtp_", StringComparison.Ordinal) || parameter.StartsWith("lmtp_", StringComparison.Ordinal);
        var mandatory = parameter.Contains("_mandatory_", StringComparison.Ordinal);
        var tls = !value.Text.Equals("none", StringComparison.OrdinalIgnoreCase);
        var what = $"{why}: {parameter} = {value.Text}";
        if (mandatory && parameter.StartsWith("smtpd_", StringComparison.Ordinal))
        {
            // Read only where TLS is mandatory: on the submission listener (-o smtpd_tls_security_level=encrypt).
            return new DiffCase(id, "refusal", what, [(parameter, value.Text)], Probe.Submission, tls);
        }

        if (mandatory && client)
        {
            // Read only at the mandatory levels: the client at encrypt.
            return new DiffCase(id, "refusal", what, [("smtp_tls_security_level", "encrypt"), (parameter, value.Text)], Probe.Client, tls);
        }

        return new DiffCase(id, "refusal", what, [(parameter, value.Text)], client ? Probe.Client : Probe.Server, tls);
    }
}
