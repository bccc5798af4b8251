namespace PostfixConfig.IntegrationTests.Support;

/// <summary>
/// What the live tests need: root (Postfix's master must start as root), the Postfix programs,
/// the <c>postfix</c> account and <c>openssl</c>. Without them the tests skip with a reason,
/// except when <c>CI</c> is set: then they run and fail, so a CI machine can never pass them
/// by skipping (<c>.ci/run</c> installs everything and runs as root).
/// </summary>
internal static class LiveEnvironment
{
    public const string Postfix = "/usr/sbin/postfix";
    public const string Postconf = "/usr/sbin/postconf";
    public const string Postmap = "/usr/sbin/postmap";
    public const string Sendmail = "/usr/sbin/sendmail";
    public const string OpenSsl = "/usr/bin/openssl";

    public static bool IsCi => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    /// <summary>The requirements that are not met here; empty when the live tests can run.</summary>
    public static IReadOnlyList<string> Missing { get; } = FindMissing();

    public static string? SkipReason => Missing.Count == 0 || IsCi
        ? null
        : $"Live Postfix tests need {string.Join(", ", Missing)} (run them as root on a machine with "
          + "'apt-get install postfix postfix-lmdb postfix-cdb openssl'); with CI set they fail instead of skipping.";

    /// <summary>Fails the test (in CI) when a requirement is missing.</summary>
    public static void Require()
    {
        Assert.True(Missing.Count == 0, $"The live Postfix tests cannot run here: missing {string.Join(", ", Missing)}.");
    }

    /// <summary>The installed Postfix release (<c>postconf -d -h mail_version</c>).</summary>
    public static PostfixVersion InstalledVersion => InstalledVersionValue.Value;

    private static readonly Lazy<PostfixVersion> InstalledVersionValue = new(() =>
    {
        var r = Proc.Run(Postconf, ["-d", "-h", "mail_version"]);
        Assert.True(r.ExitCode == 0, $"postconf -d -h mail_version failed: {r.StdErr}");
        return PostfixVersion.Parse(r.StdOut.Trim());
    });

    private static List<string> FindMissing()
    {
        var missing = new List<string>();
        if (!OperatingSystem.IsLinux())
        {
            missing.Add("Linux");
            return missing;
        }

        if (!Environment.IsPrivilegedProcess)
        {
            missing.Add("root");
        }

        foreach (var tool in new[] { Postfix, Postconf, Postmap, Sendmail, OpenSsl })
        {
            if (!File.Exists(tool))
            {
                missing.Add(tool);
            }
        }

        if (!File.Exists("/etc/passwd") || !File.ReadLines("/etc/passwd").Any(l => l.StartsWith("postfix:", StringComparison.Ordinal)))
        {
            missing.Add("the postfix user");
        }

        return missing;
    }
}

/// <summary>A fact that starts a real Postfix (see <see cref="LiveEnvironment.SkipReason"/>).</summary>
public sealed class LivePostfixFactAttribute : FactAttribute
{
    public LivePostfixFactAttribute()
    {
        if (LiveEnvironment.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A theory that starts a real Postfix (see <see cref="LiveEnvironment.SkipReason"/>).</summary>
public sealed class LivePostfixTheoryAttribute : TheoryAttribute
{
    public LivePostfixTheoryAttribute()
    {
        if (LiveEnvironment.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
