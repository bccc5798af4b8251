using PostfixConfig.Catalog;
using PostfixConfig.ReleaseTests.Support;
using Xunit.Abstractions;

namespace PostfixConfig.ReleaseTests;

/// <summary>
/// The catalog against each release's own <c>postconf -d</c>: every name containing "tls" that the
/// release lists is in the catalog for that <c>mail_version</c> with the same default, every catalog
/// parameter the catalog says the release has is listed by it, and nothing else.
/// </summary>
[Trait("Category", "Releases")]
[Trait("Category", "Slow")]
public class CatalogTests(ITestOutputHelper output)
{
    /// <summary>
    /// Defaults that follow the build rather than the release. The catalog documents them as a Linux
    /// build with OpenSSL 3.0 to 3.4 gives them (see its header), so they are compared only when the
    /// OpenSSL here is one of those; the release README (docs/releases.md) lists them.
    /// </summary>
    internal static readonly HashSet<string> BuildDependent = new(StringComparer.Ordinal)
    {
        "tls_eecdh_auto_curves", // the curves this OpenSSL defines; "?X25519MLKEM768:DEFAULT" with OpenSSL 3.5 from 3.11
        "tls_ffdhe_auto_groups", // the groups this OpenSSL defines; empty with OpenSSL 3.5 from 3.11
        "tls_random_source", // the platform's random device (dev:/dev/urandom on Linux)
    };

    private static bool OpenSslAsCatalogued =>
        PostfixVersion.TryParse(OpenSslClient.LibraryVersion, out var v) && v.Major == 3 && v.Minor <= 4;

    [ReleaseTheory]
    [MemberData(nameof(ReleaseData.All), MemberType = typeof(ReleaseData))]
    public void Catalog_EqualsPostconfD(ReleaseTree release)
    {
        ArgumentNullException.ThrowIfNull(release);
        var defaults = ReleaseFacts.Defaults(release);
        var version = release.Version;
        var catalog = ParameterCatalog.Default;
        var known = catalog.ParametersIn(version).ToDictionary(p => p.Name, StringComparer.Ordinal);
        var differences = new List<string>();
        var compared = 0;
        foreach (var (name, value) in defaults.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!name.Contains("tls", StringComparison.Ordinal) && catalog.Find(name) is null)
            {
                continue;
            }

            if (!known.TryGetValue(name, out var p))
            {
                differences.Add($"missing from the catalog at {version}: {name} = {value}");
                continue;
            }

            if (BuildDependent.Contains(name) && !OpenSslAsCatalogued)
            {
                output.WriteLine($"{name}: build-dependent, not compared with OpenSSL {OpenSslClient.LibraryVersion}");
                continue;
            }

            compared++;
            var expected = p.DefaultIn(version)!;
            if (ReleaseFacts.Collapse(expected) != ReleaseFacts.Collapse(value))
            {
                differences.Add($"default of {name}: postconf -d '{value}', catalog '{expected}'");
            }
        }

        differences.AddRange(known.Keys.Where(n => !defaults.ContainsKey(n)).Select(n => $"in the catalog at {version} but not in its postconf -d: {n}"));
        output.WriteLine($"{release.MailVersion}: {compared} names and defaults compared, {differences.Count} differences");
        ReleaseSummary.Record(release, "catalog", differences.Count == 0 ? $"{compared} equal" : $"{compared} compared, {differences.Count} differ");
        Assert.True(differences.Count == 0, $"{release.MailVersion} ({release.Root}):\n" + string.Join('\n', differences));
    }

    /// <summary>
    /// The defaults outside TLS (<c>Catalog/Data/other-defaults.txt</c>) against each release's <c>postconf -d</c>:
    /// every name the release lists outside the TLS catalog has a line for that release, with the same value unless
    /// it is marked as depending on the host or the build.
    /// </summary>
    [ReleaseTheory]
    [MemberData(nameof(ReleaseData.All), MemberType = typeof(ReleaseData))]
    public void OtherDefaults_EqualPostconfD(ReleaseTree release)
    {
        ArgumentNullException.ThrowIfNull(release);
        var catalog = ParameterCatalog.Default;
        var differences = new List<string>();
        var compared = 0;
        foreach (var (name, value) in ReleaseFacts.Defaults(release).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            // TLS parameters are the catalog's; per-service names (bsmtp_destination_concurrency_limit) come from the
            // release's stock master.cf, whose services postconf -d lists, and default to their global parameter.
            if (catalog.Find(name) is not null
                || (ServiceParameters.Find(catalog, name, release.Version) is { } service && value == "$" + service.Default))
            {
                continue;
            }

            switch (OtherDefaults.Find(name, release.Version))
            {
                case null:
                    differences.Add($"no default outside TLS for {name} at {release.Version} (postconf -d: '{value}')");
                    break;
                case { FromHost: true }:
                    break;
                case { } d when d.Value != value:
                    differences.Add($"default of {name}: postconf -d '{value}', table '{d.Value}'");
                    break;
                default:
                    compared++;
                    break;
            }
        }

        output.WriteLine($"{release.MailVersion}: {compared} defaults outside TLS equal, {differences.Count} differences");
        ReleaseSummary.Record(release, "other defaults", differences.Count == 0 ? $"{compared} equal" : $"{compared} equal, {differences.Count} differ");
        Assert.True(compared > 500 && differences.Count == 0, $"{release.MailVersion} ({release.Root}), {compared} equal:\n" + string.Join('\n', differences));
    }

    /// <summary>
    /// Every catalog parameter set in one main.cf, read by the release's <c>postconf -n</c>: those the
    /// catalog says the release has (set to the release's own default) are never called unused, and it
    /// warns about exactly those the catalog marks <c>postconf-warns</c> for it; those the catalog says
    /// it lacks (introduced later, or removed) are each called unused, unless another setting refers to
    /// them (postconf counts a referenced name as used).
    /// </summary>
    [ReleaseTheory]
    [MemberData(nameof(ReleaseData.All), MemberType = typeof(ReleaseData))]
    public void Catalog_PostconfWarnsAsCatalogued(ReleaseTree release)
    {
        ArgumentNullException.ThrowIfNull(release);
        Releases.RequireEnvironment();
        var defaults = ReleaseFacts.Defaults(release);
        var version = release.Version;
        var catalog = ParameterCatalog.Default;
        var settings = catalog.Parameters
            .Select(p => (p.Name, Value: p.IsKnownIn(version) && defaults.TryGetValue(p.Name, out var d) ? d : p.InitialDefault))
            .ToList();
        using var instance = ReleaseInstance.Create(release);
        instance.WriteConfigFile("main.cf", ReleaseInstance.MainCfText(settings));
        instance.WriteConfigFile("master.cf", ReleaseInstance.MasterCfText([]));
        var said = instance.Postconf("-n");
        Assert.True(said.ExitCode == 0, said.Output);
        // postconf counts a name that another setting refers to ($name, ${name...}) as used.
        var referenced = settings.SelectMany(s => System.Text.RegularExpressions.Regex.Matches(s.Value, @"\$\{?([A-Za-z0-9_]+)").Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);
        var differences = new List<string>();
        int known = 0, unknown = 0, warned = 0;
        foreach (var p in catalog.Parameters)
        {
            var unused = said.StdErr.Contains($"unused parameter: {p.Name}=", StringComparison.Ordinal);
            // "support for parameter "X" will be removed" (deprecated), "... parameter X has been removed" (3.12: removed)
            var notice = said.StdErr.Contains($"parameter \"{p.Name}\"", StringComparison.Ordinal)
                || said.StdErr.Contains($"parameter {p.Name} has been removed", StringComparison.Ordinal);
            if (p.IsKnownIn(version))
            {
                known++;
                if (unused)
                {
                    differences.Add($"postconf calls {p.Name} unused; the catalog says {release.MailVersion} has it");
                }

                if (notice != p.PostconfWarnsIn(version))
                {
                    differences.Add(notice
                        ? $"postconf warns about {p.Name}; the catalog does not say so for {release.MailVersion}"
                        : $"the catalog says postconf {release.MailVersion} warns about {p.Name}; it does not");
                }

                warned += notice ? 1 : 0;
            }
            else if (p.PostconfWarnsIn(version))
            {
                // Removed, yet still named by postconf's table of retired parameters (postconf_unused.c): a notice, not "unused".
                unknown++;
                if (!notice)
                {
                    differences.Add($"the catalog says postconf {release.MailVersion} warns about the removed {p.Name}; it does not");
                }
            }
            else if (!referenced.Contains(p.Name))
            {
                unknown++;
                if (!unused)
                {
                    differences.Add($"the catalog says {release.MailVersion} lacks {p.Name}; its postconf does not call it unused");
                }
            }
        }

        output.WriteLine($"{release.MailVersion}: {known} known parameters ({warned} warned about), {unknown} unknown, {differences.Count} differences");
        ReleaseSummary.Record(release, "notices", $"{known} known{(warned > 0 ? $" ({warned} warned about)" : string.Empty)}, {unknown} unknown{(differences.Count == 0 ? string.Empty : $", {differences.Count} differ")}");
        Assert.True(differences.Count == 0, $"{release.MailVersion}:\n" + string.Join('\n', differences) + "\n" + said.StdErr);
    }

    /// <summary>
    /// The matrix is complete: every tarball built (or every named tree present), in CI as anywhere else,
    /// and each release found says its <c>mail_version</c>. The versions go to the output and the run's summary.
    /// </summary>
    [ReleaseMatrixFact]
    public void Releases_AllPresent()
    {
        Releases.RequireEnvironment();
        var versions = Releases.Found.Select(t => t.MailVersion + (t.IsInstalled ? " (Debian)" : string.Empty)).ToList();
        foreach (var tree in Releases.Found)
        {
            output.WriteLine($"{tree.MailVersion}: {tree.Root}");
        }

        ReleaseSummary.Write("#releases", "found", string.Join(", ", versions));
        var found = $"Found: {string.Join(", ", versions)}";
        Assert.True(Releases.Missing.Count == 0, $"{found}\nMissing releases:\n" + string.Join('\n', Releases.Missing));
        Assert.True(Releases.Found.Count > 0, "No release found");
        Assert.True(Releases.Found.All(t => PostfixVersion.TryParse(t.MailVersion, out _)), $"{found}: a release's postconf does not give its mail_version");
    }
}
