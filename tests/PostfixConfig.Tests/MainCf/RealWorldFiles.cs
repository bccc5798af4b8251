using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.MainCf;

/// <summary>The stock main.cf files of the installed postfix package, read at test time.</summary>
internal static class RealWorldFiles
{
    public const string Dist = "/usr/share/postfix/main.cf.dist";
    public const string DebianBase = "/usr/share/postfix/main.cf.debian";
    public const string DebianTls = "/usr/share/postfix/main.cf.tls";

    public static string Golden => Path.Combine(RepoPaths.TestProject, "MainCf", "Golden");

    /// <summary>
    /// Debian's default main.cf as its postinst writes it for a new install: main.cf.debian, then
    /// main.cf.tls (when the snakeoil key exists), then <c>postconf -e smtpd_relay_restrictions=...</c>,
    /// run here with the real postconf.
    /// </summary>
    public static string DebianDefault()
    {
        using var dir = Postconf.Folder(File.ReadAllText(DebianBase) + File.ReadAllText(DebianTls));
        var r = PostfixTools.Run(PostfixTools.Postconf, "-c", dir.Path, "-e",
            "smtpd_relay_restrictions=permit_mynetworks permit_sasl_authenticated defer_unauth_destination");
        Assert.True(r.ExitCode == 0, r.StdErr);
        return File.ReadAllText(dir.File("main.cf"));
    }

    /// <summary>An older Debian default: main.cf.debian with the legacy TLS block (smtpd_use_tls = yes).</summary>
    public static string DebianLegacy() => File.ReadAllText(DebianBase) + File.ReadAllText(Path.Combine(Golden, "debian-legacy-tls.cf"));

    public static TheoryData<string> Names() => new() { "dist", "debian", "debian-legacy" };

    public static string Get(string name) => name switch
    {
        "dist" => File.ReadAllText(Dist),
        "debian" => DebianDefault(),
        "debian-legacy" => DebianLegacy(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };
}
