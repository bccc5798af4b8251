using System.Globalization;

namespace PostfixConfig.ReleaseTests.Support;

/// <summary>
/// The configurations every release reads: the examples, the golden cases of the unit tests, and the
/// profiles (modern, intermediate, old; with and without the smtp, submission and submissions services).
/// </summary>
internal static class RenderInputs
{
    public static readonly string[] Profiles = ["modern", "intermediate", "old"];

    /// <summary>How many inputs <see cref="All"/> gives for any release: the examples, the golden cases and two per profile.</summary>
    public static int Count =>
        Directory.GetFiles(Path.Combine(Releases.RepoRoot, "examples"), "*.yaml").Length
        + Directory.GetDirectories(Path.Combine(Releases.RepoRoot, "tests", "PostfixConfig.Tests", "Golden")).Length
        + (Profiles.Length * 2);

    /// <summary>Name (<c>examples/x.yaml</c>, <c>golden/NNN</c>, <c>profile/modern+services</c>) and YAML text, for <paramref name="release"/>.</summary>
    public static IEnumerable<(string Name, string Yaml)> All(ReleaseTree release)
    {
        foreach (var f in Directory.GetFiles(Path.Combine(Releases.RepoRoot, "examples"), "*.yaml").Order(StringComparer.Ordinal))
        {
            yield return ("examples/" + Path.GetFileName(f), File.ReadAllText(f));
        }

        var golden = Path.Combine(Releases.RepoRoot, "tests", "PostfixConfig.Tests", "Golden");
        foreach (var dir in Directory.GetDirectories(golden).Order(StringComparer.Ordinal))
        {
            yield return ("golden/" + Path.GetFileName(dir), File.ReadAllText(Path.Combine(dir, "input.yaml")));
        }

        foreach (var profile in Profiles)
        {
            yield return ($"profile/{profile}", ProfileYaml(release, profile, null));
            yield return ($"profile/{profile}+services", ProfileYaml(release, profile, (10025, 10587, 10465)));
        }
    }

    /// <summary>
    /// A profile for <paramref name="release"/> and the OpenSSL here, with the test certificate as the
    /// chain files, TLS logging, and the three smtpd services on the given loopback ports when given.
    /// </summary>
    public static string ProfileYaml(ReleaseTree release, string profile, (int Smtp, int Submission, int Submissions)? ports)
    {
        ArgumentNullException.ThrowIfNull(release);
        var pki = ReleasePki.Instance;
        var yaml = string.Create(CultureInfo.InvariantCulture, $"""
            postfix_version: "{release.MailVersion}"
            openssl_version: "{OpenSslClient.LibraryVersion}"
            profile: {profile}
            main:
              smtpd_tls_chain_files: [{pki.KeyFile}, {pki.ChainFile}]
              smtpd_tls_loglevel: 1

            """);
        if (ports is { } p)
        {
            yaml += string.Create(CultureInfo.InvariantCulture, $"""
                services:
                  smtp: {"{"}listen: "127.0.0.1:{p.Smtp}"{"}"}
                  submission: {"{"}listen: "127.0.0.1:{p.Submission}"{"}"}
                  submissions: {"{"}listen: "127.0.0.1:{p.Submissions}"{"}"}

                """);
        }

        return yaml;
    }

    /// <summary>Render options that target <paramref name="release"/> whatever the YAML says.</summary>
    public static RenderOptions For(ReleaseTree release) =>
        RenderOptions.Default with { Validation = ValidationOptions.Default with { PostfixVersion = release.Version } };
}
