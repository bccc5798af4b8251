using System.Globalization;
using PostfixConfig.IO;

namespace PostfixConfig.Tests.Support;

/// <summary>What <c>stat(1)</c> reports of a file, the independent answer the POSIX calls of <see cref="UnixFile"/> are held to.</summary>
internal static class StatCommand
{
    /// <summary>The space-separated fields of <c>stat -c FORMAT PATH</c>.</summary>
    public static string[] Fields(string path, string format) =>
        ProcessRunner.RunChecked("stat", "-c", format, path).StdOut.Trim().Split(' ');

    /// <summary>"1622550896.123456700" (stat's %.9Y) in nanoseconds.</summary>
    public static long Nanoseconds(string secondsDotNanoseconds)
    {
        var parts = secondsDotNanoseconds.Split('.');
        return (long.Parse(parts[0], CultureInfo.InvariantCulture) * 1_000_000_000) + long.Parse(parts[1], CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The file's identity as stat reports it: the device as statx gives it (major number in the high
    /// half, minor in the low), inode, size, modification and change time to the nanosecond, links and
    /// the raw mode.
    /// </summary>
    public static FileIdentity Identity(string path)
    {
        var s = Fields(path, "%Hd %Ld %i %s %.9Y %.9Z %h %f");
        return new FileIdentity(
            (ulong.Parse(s[0], CultureInfo.InvariantCulture) << 32) | ulong.Parse(s[1], CultureInfo.InvariantCulture),
            ulong.Parse(s[2], CultureInfo.InvariantCulture),
            long.Parse(s[3], CultureInfo.InvariantCulture),
            Nanoseconds(s[4]),
            Nanoseconds(s[5]),
            uint.Parse(s[6], CultureInfo.InvariantCulture),
            int.Parse(s[7], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }
}
