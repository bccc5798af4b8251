namespace PostfixConfig.Diagnostics;

/// <content>apply: from YAML to a running Postfix.</content>
public static partial class DiagnosticCodes
{
    /// <summary>apply: the live main.cf has an error Postfix stops on, so it is not edited.</summary>
    public const string MainCfNotApplied = "PFX5060";

    /// <summary>apply: a map that apply writes into the config folder is named in main.cf with a path outside it.</summary>
    public const string MapOutsideConfigDirectory = "PFX5061";

    /// <summary>apply: main.cf names a table type that the installed Postfix does not support (<c>postconf -m</c>).</summary>
    public const string MapTypeNotInstalled = "PFX5062";

    /// <summary>apply: the YAML's <c>postfix_version</c> names another release than the installed one (<c>postconf -h mail_version</c>); apply checks and renders for the YAML's, and the installed Postfix judges the result.</summary>
    public const string InstalledReleaseDiffers = "PFX5063";
}
