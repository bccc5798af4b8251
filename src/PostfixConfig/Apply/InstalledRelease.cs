using System.Globalization;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Apply;

/// <summary>
/// The release an apply checks and renders for, from the installed Postfix
/// (<c>postconf -h mail_version</c>) and the YAML's <c>postfix_version</c>: without one, the
/// installed release; when the YAML names the installed line (<c>3.7</c>), the installed patch
/// release (<c>3.7.11</c>, not the catalog's newest <c>3.7.22</c>); when it names another release,
/// the YAML's, with a warning (the installed Postfix still judges the result: <c>postconf -n</c>,
/// <c>postfix check</c>). A release given by the caller (<c>--postfix-version</c>) wins over both.
/// </summary>
internal static class InstalledRelease
{
    public static ValidationOptions Choose(TlsConfiguration config, ApplyOptions options, string directory, List<Diagnostic> diagnostics)
    {
        var validation = options.Validation;
        if (validation.PostfixVersion is not null
            || options.Commands.InstalledVersion(directory) is not { } text
            || !PostfixVersion.TryParse(text, out var installed))
        {
            return validation;
        }

        var span = config.PostfixVersionSpan ?? (config.SourcePath is null ? null : (SourceSpan?)new SourceSpan(config.SourcePath, 1, 1));
        if (config.PostfixVersion is not { } named)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Info, DiagnosticCodes.TargetVersionAssumed, "postfix_version",
                $"No postfix_version given; apply checks and renders for the installed Postfix {installed} (postconf -h mail_version).", span));
            return validation with { PostfixVersion = installed };
        }

        if (named.Line == installed.Line && (!named.HasPatch || named.ToString() == installed.ToString()))
        {
            return validation with { PostfixVersion = installed };
        }

        diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.InstalledReleaseDiffers, "postfix_version",
            string.Create(CultureInfo.InvariantCulture,
                $"postfix_version is {named}, but the installed Postfix is {installed} (postconf -h mail_version): apply checks and renders for {named} as the YAML says, and the installed Postfix judges the result (postconf -n, postfix check). Set postfix_version to {installed.Line} to check for what runs here."),
            span));
        return validation;
    }
}
