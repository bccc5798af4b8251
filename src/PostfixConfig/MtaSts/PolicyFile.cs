using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PostfixConfig.MtaSts;

/// <summary>
/// The MTA-STS policy file (RFC 8461 section 3.2) and the id of the <c>_mta-sts</c> record, both
/// derived from the policy alone: the id is the first 128 bits of the SHA-256 of the policy's
/// canonical text in hex (32 letters and digits, the most RFC 8461 allows), so it changes exactly
/// when the policy changes and rendering twice gives the same record.
/// </summary>
internal static class PolicyFile
{
    /// <summary>The policy file's version line value.</summary>
    public const string Version = "STSv1";

    /// <summary>The canonical text: <c>version</c>, <c>mode</c>, one <c>mx</c> line per pattern, <c>max_age</c>, each line ended by CRLF.</summary>
    public static string Text(MtaStsPolicy policy)
    {
        var sb = new StringBuilder();
        sb.Append("version: ").Append(Version).Append("\r\n");
        sb.Append("mode: ").Append(MtaStsPolicy.NameOf(policy.Mode)).Append("\r\n");
        foreach (var mx in policy.Mx)
        {
            sb.Append("mx: ").Append(mx).Append("\r\n");
        }

        sb.Append("max_age: ").Append(policy.MaxAge.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        return sb.ToString();
    }

    /// <summary>The policy id of the <c>_mta-sts</c> TXT record.</summary>
    public static string Id(MtaStsPolicy policy) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Text(policy))))[..32];

    /// <summary>The value of the <c>_mta-sts.DOMAIN</c> TXT record.</summary>
    public static string StsRecord(MtaStsPolicy policy) => $"v=STSv1; id={Id(policy)}";

    /// <summary>The value of the <c>_smtp._tls.DOMAIN</c> TXT record (RFC 8460 section 3).</summary>
    public static string TlsRptRecord(TlsRptPolicy policy) => $"v=TLSRPTv1; rua={string.Join(',', policy.Rua)}";

    /// <summary>
    /// A TXT record's data in zone file syntax: quoted strings of at most 255 characters each (a
    /// longer value is split, and receivers join the strings again), with <c>"</c> and <c>\</c> escaped.
    /// </summary>
    public static string TxtData(string value)
    {
        var parts = new List<string>();
        for (var i = 0; i < value.Length; i += 255)
        {
            var chunk = value.Substring(i, Math.Min(255, value.Length - i));
            parts.Add("\"" + chunk.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"");
        }

        return string.Join(' ', parts);
    }
}
