using System.Runtime.InteropServices;

namespace PostfixConfig.Cli;

/// <summary>
/// Lets the probing commands (<c>probe</c>, <c>tlsa --check</c>) offer TLS 1.0 and 1.1: points
/// <c>OPENSSL_CONF</c> at <c>openssl-probe.cnf</c> (next to the program; OpenSSL security level 0)
/// for this process only, before OpenSSL is loaded. OpenSSL reads its configuration once, when .NET
/// first uses it, so this must run first thing in <c>Main</c>. A user's own <c>OPENSSL_CONF</c> is
/// left alone.
/// </summary>
internal static partial class ProbeOpenSslPolicy
{
    public const string FileName = "openssl-probe.cnf";

    /// <summary>Sets the policy when <paramref name="args"/> run a probing command; returns the file used, or null.</summary>
    public static string? Apply(string[] args)
    {
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsFreeBSD()) || !IsProbing(args)
            || Environment.GetEnvironmentVariable("OPENSSL_CONF") is { Length: > 0 })
        {
            return null;
        }

        var path = Path.Combine(AppContext.BaseDirectory, FileName);
        if (!File.Exists(path))
        {
            return null; // a copied-out binary: probe with the system settings (a scan reports TLS 1.0/1.1 as not testable)
        }

        // Environment.SetEnvironmentVariable changes only .NET's own copy; OpenSSL reads the C environment.
        return SetEnv("OPENSSL_CONF", path, 1) == 0 ? path : null;
    }

    internal static bool IsProbing(string[] args)
    {
        var command = args.FirstOrDefault(a => !a.StartsWith('-'));
        return command == "probe" || (command == "tlsa" && args.Contains("--check", StringComparer.Ordinal));
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
