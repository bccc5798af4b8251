using System.CommandLine;
using System.CommandLine.Completions;
using System.CommandLine.Parsing;
using PostfixConfig.Catalog;

namespace PostfixConfig.Cli.Commands;

/// <summary>Options and arguments several commands share.</summary>
internal static class CommonOptions
{
    public static Option<PostfixVersion?> PostfixVersion()
    {
        var option = new Option<PostfixVersion?>("--postfix-version")
        {
            Description = "The Postfix release the configuration is for (X.Y or X.Y.Z); overrides postfix_version in the YAML.",
            HelpName = "X.Y",
            CustomParser = ParseVersion,
        };
        // Shell completion offers the release lines, newest first (the catalog is read only then).
        option.CompletionSources.Add(_ => ParameterCatalog.Default.Releases.Lines.Reverse().Select(l => new CompletionItem(l.ToString())));
        return option;
    }

    public static Option<OpenSslVersion?> OpenSslVersion() => new("--openssl-version")
    {
        Description = "The OpenSSL version Postfix is built with on the mail host (X.Y or X.Y.Z); profiles depend on it.",
        HelpName = "X.Y",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
            if (text is null)
            {
                return null;
            }

            if (PostfixConfig.OpenSslVersion.TryParse(text, out var v))
            {
                return v;
            }

            result.AddError($"'{text}' is not an OpenSSL version; write X.Y or X.Y.Z, for example 3.0 or 1.1.1.");
            return null;
        },
    };

    /// <summary><c>--format text|json</c>, read as an <see cref="OutputFormat"/>.</summary>
    public static Option<OutputFormat> Format(string description = "Output format for diagnostics.") => new Option<OutputFormat>("--format")
    {
        Description = description,
        DefaultValueFactory = _ => OutputFormat.Text,
    }.AcceptOnlyFromAmong("text", "json");

    public static Option<string?> Templates() => new("--templates")
    {
        Description = "A folder of Scriban templates that replace the built-in ones of the same name.",
        HelpName = "DIR",
    };

    /// <summary><c>--lock-timeout SECONDS</c>: how long a write waits for the folder's locks (see WriteOptions.LockTimeout).</summary>
    /// <remarks>Null when not given: read it as <c>parse.GetValue(option) ?? WriteOptions.Default.LockTimeout</c> (the help gives the default in seconds).</remarks>
    public static Option<TimeSpan?> LockTimeout() => new("--lock-timeout")
    {
        Description = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"Seconds to wait for the folder's locks (.postfix-config.lock, and Postfix's main.cf.tmp/master.cf.tmp edit locks that postconf -e holds while it edits; default {WriteOptions.Default.LockTimeout.TotalSeconds:0})."),
        HelpName = "SECONDS",
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 && seconds <= 86_400)
            {
                return TimeSpan.FromSeconds(seconds);
            }

            result.AddError($"--lock-timeout takes a number of seconds from 0 to 86400, not '{text}'.");
            return null;
        },
    };

    public static Option<bool> CheckFiles() => new("--check-files")
    {
        Description = "Also check the key and certificate files the configuration names (on the mail host; run as root to read root-only keys).",
    };

    public static Argument<string> ConfigFile() => new("CONFIG")
    {
        Description = "The YAML configuration file.",
    };

    private static PostfixVersion? ParseVersion(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
        if (text is null)
        {
            return null;
        }

        if (PostfixConfig.PostfixVersion.TryParse(text, out var v))
        {
            return v;
        }

        result.AddError($"'{text}' is not a Postfix release; write X.Y or X.Y.Z, for example 3.7 or 3.7.11.");
        return null;
    }
}
