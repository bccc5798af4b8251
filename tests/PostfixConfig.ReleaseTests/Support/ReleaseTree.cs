using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace PostfixConfig.ReleaseTests.Support;

/// <summary>
/// One Postfix release to judge with: a build tree (<c>bin/postconf</c>, <c>libexec/master</c>, the stock
/// files in <c>conf/</c>), or Debian's installed package. Its <see cref="ToString"/> is the release's
/// <c>mail_version</c> as its own <c>postconf -d</c> prints it, so every test's display name carries it
/// (<c>...(release: 3.10.13)</c>).
/// </summary>
/// <remarks>
/// A build tree runs as a scratch instance with <c>daemon_directory</c>, <c>command_directory</c> and
/// <c>meta_directory</c> pointing into it (<see cref="DirectorySettings"/>); the installed package needs
/// none of them. xUnit serialises a tree by its root folder, so each release is a test case of its own.
/// </remarks>
public sealed partial class ReleaseTree : IXunitSerializable
{
    /// <summary>The root that stands for Debian's installed package (/usr/sbin/postconf, /usr/lib/postfix/sbin/master).</summary>
    public const string Installed = "installed";

    private static readonly ConcurrentDictionary<string, string> MailVersions = new(StringComparer.Ordinal);

    /// <summary>For xUnit's deserialisation only.</summary>
    public ReleaseTree()
    {
        Root = Installed;
    }

    private ReleaseTree(string root)
    {
        Root = root;
    }

    /// <summary>The build tree's folder, or <see cref="Installed"/>.</summary>
    public string Root { get; private set; }

    public bool IsInstalled => Root == Installed;

    public string Postconf => IsInstalled ? "/usr/sbin/postconf" : Path.Combine(Root, "bin", "postconf");

    public string Postfix => IsInstalled ? "/usr/sbin/postfix" : Path.Combine(Root, "bin", "postfix");

    public string Postmap => IsInstalled ? "/usr/sbin/postmap" : Path.Combine(Root, "bin", "postmap");

    public string Sendmail => IsInstalled ? "/usr/sbin/sendmail" : Path.Combine(Root, "bin", "sendmail");

    public string Master => IsInstalled ? "/usr/lib/postfix/sbin/master" : Path.Combine(Root, "libexec", "master");

    /// <summary>The release's stock main.cf (a build tree's <c>conf/main.cf</c>; Debian's <c>main.cf.dist</c>).</summary>
    public string StockMainCf => IsInstalled ? "/usr/share/postfix/main.cf.dist" : Path.Combine(Root, "conf", "main.cf");

    /// <summary>The release's stock master.cf (a build tree's <c>conf/master.cf</c>; Debian's <c>master.cf.dist</c>).</summary>
    public string StockMasterCf => IsInstalled ? "/usr/share/postfix/master.cf.dist" : Path.Combine(Root, "conf", "master.cf");

    /// <summary>What a scratch instance's main.cf needs to run this tree's programs (nothing for the installed package).</summary>
    public IReadOnlyList<(string Name, string Value)> DirectorySettings => IsInstalled
        ? []
        :
        [
            ("daemon_directory", Path.Combine(Root, "libexec")),
            ("command_directory", Path.Combine(Root, "bin")),
            ("meta_directory", Path.Combine(Root, "conf")),
            ("shlib_directory", "no"),
        ];

    /// <summary>The release's <c>mail_version</c>, from its own <c>postconf -d -h mail_version</c>.</summary>
    public string MailVersion => MailVersions.GetOrAdd(Postconf, static postconf =>
    {
        var r = Proc.Run(postconf, ["-d", "-h", "mail_version"]);
        return r.ExitCode == 0 ? r.StdOut.Trim() : $"unreadable ({postconf}: {r.StdErr.Trim()})";
    });

    public PostfixVersion Version => PostfixVersion.Parse(MailVersion);

    /// <summary>
    /// The <c>compatibility_level</c> the release's stock main.cf sets (the level a new installation of
    /// it gets), so that the instance logs no backwards-compatibility notes.
    /// </summary>
    public string CompatibilityLevel =>
        CompatibilityLine().Match(File.ReadAllText(StockMainCf)) is { Success: true } m ? m.Groups[1].Value : "0";

    public static ReleaseTree FromRoot(string root) => new(root);

    /// <summary>Whether <paramref name="root"/> looks like a build tree (<c>bin/postconf</c>, <c>libexec/master</c>, <c>conf/</c>).</summary>
    public static bool IsBuildTree(string root) =>
        File.Exists(Path.Combine(root, "bin", "postconf")) && File.Exists(Path.Combine(root, "libexec", "master"))
        && Directory.Exists(Path.Combine(root, "conf"));

    public void Deserialize(IXunitSerializationInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        Root = info.GetValue<string>(nameof(Root));
    }

    public void Serialize(IXunitSerializationInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        info.AddValue(nameof(Root), Root);
    }

    public override string ToString() => MailVersion;

    [GeneratedRegex(@"^compatibility_level\s*=\s*(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex CompatibilityLine();
}
