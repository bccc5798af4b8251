using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text;

namespace PostfixConfig.Dns;

/// <summary>DNS record types this client asks for or reads (RFC 1035, RFC 3596, RFC 6698).</summary>
internal enum DnsType : ushort
{
    A = 1,
    Ns = 2,
    Cname = 5,
    Soa = 6,
    Mx = 15,
    Txt = 16,
    Aaaa = 28,
    Srv = 33,
    Opt = 41,
    Ds = 43,
    Rrsig = 46,
    Nsec = 47,
    Dnskey = 48,
    Tlsa = 52,
}

/// <summary>One resource record of an answer section: owner, type, TTL and the raw data (names in it already decompressed where the type has them).</summary>
/// <param name="Name">The owner name, lower case, without the final dot (<c>.</c> alone for the root).</param>
/// <param name="Type">The record type number.</param>
/// <param name="Ttl">The time to live in seconds.</param>
/// <param name="Data">The RDATA as received.</param>
/// <param name="Target">For NS, CNAME and MX: the name it points to (lower case, no final dot); else <see langword="null"/>.</param>
/// <param name="Preference">For MX: the preference; else 0.</param>
internal sealed record DnsRecord(string Name, ushort Type, uint Ttl, byte[] Data, string? Target = null, ushort Preference = 0)
{
    /// <summary>An A or AAAA record's address, else <see langword="null"/>.</summary>
    public IPAddress? Address => (DnsType)Type is DnsType.A && Data.Length == 4 || (DnsType)Type is DnsType.Aaaa && Data.Length == 16
        ? new IPAddress(Data)
        : null;
}

/// <summary>A parsed DNS reply: the header bits that matter here and the answer section.</summary>
/// <param name="Id">The message id.</param>
/// <param name="Rcode">The response code (0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN, 5 REFUSED, ...).</param>
/// <param name="Authoritative">AA.</param>
/// <param name="Truncated">TC: the answer did not fit (ask again over TCP).</param>
/// <param name="AuthenticData">AD: the resolver validated the answer with DNSSEC.</param>
/// <param name="Answers">The answer section.</param>
internal sealed record DnsReply(ushort Id, int Rcode, bool Authoritative, bool Truncated, bool AuthenticData, IReadOnlyList<DnsRecord> Answers);

/// <summary>A reply that is not a well-formed DNS message.</summary>
internal sealed class DnsFormatException(string message) : Exception(message);

/// <summary>
/// DNS messages on the wire (RFC 1035 section 4, EDNS0 of RFC 6891): a query with RD, optionally
/// CD, and an OPT record with the DO bit (the way Postfix asks with <c>RES_USE_DNSSEC</c>, which
/// also sets AD in the query as a resolver with <c>RES_TRUSTAD</c> does), and the reader of replies.
/// Names are ASCII (A-labels); compression pointers are followed backwards only, with a bound.
/// </summary>
internal static class DnsMessage
{
    /// <summary>The EDNS0 UDP payload size offered (the DNS flag day 2020 value).</summary>
    public const ushort UdpPayload = 1232;

    public const int NoError = 0;
    public const int ServFail = 2;
    public const int NxDomain = 3;
    public const int Refused = 5;

    /// <summary>The query message for <paramref name="name"/> and <paramref name="type"/>.</summary>
    /// <exception cref="ArgumentException">The name is not a valid DNS name.</exception>
    public static byte[] Query(ushort id, string name, DnsType type, bool checkingDisabled)
    {
        var buffer = new List<byte>(64);
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(header, id);
        // RD (0x0100); AD (0x0020) asks the resolver to say whether it validated (RFC 6840 5.7); CD (0x0010).
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)(0x0100 | 0x0020 | (checkingDisabled ? 0x0010 : 0)));
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], 1); // QDCOUNT
        BinaryPrimitives.WriteUInt16BigEndian(header[10..], 1); // ARCOUNT: the OPT record
        buffer.AddRange(header.ToArray());
        WriteName(buffer, name);
        buffer.Add(0); // the root label ends the name
        buffer.Add((byte)((ushort)type >> 8));
        buffer.Add((byte)type);
        buffer.Add(0);
        buffer.Add(1); // class IN

        // OPT: root owner, type 41, class = payload size, TTL = extended rcode 0, version 0, flags DO (0x8000), no options.
        buffer.Add(0);
        buffer.AddRange([0, (byte)DnsType.Opt, UdpPayload >> 8, UdpPayload & 0xff, 0, 0, 0x80, 0, 0, 0]);
        return [.. buffer];
    }

    /// <summary>Whether <paramref name="name"/> is a name this client can ask for: LDH or underscore labels of 1 to 63 characters, at most 253 in all.</summary>
    public static bool IsValidName(string name)
    {
        var n = Normalize(name);
        if (n == ".")
        {
            return true;
        }

        if (n.Length is 0 or > 253)
        {
            return false;
        }

        foreach (var label in n.Split('.'))
        {
            if (label.Length is 0 or > 63 || !label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The name in lower case without the final dot; the root stays <c>.</c>.</summary>
    public static string Normalize(string name)
    {
        var n = name.Trim().ToLowerInvariant();
        return n is "." or "" ? n : n.TrimEnd('.');
    }

    private static void WriteName(List<byte> buffer, string name)
    {
        if (!IsValidName(name))
        {
            throw new ArgumentException($"'{name}' is not a valid DNS name.", nameof(name));
        }

        var n = Normalize(name);
        if (n == ".")
        {
            return;
        }

        foreach (var label in n.Split('.'))
        {
            buffer.Add((byte)label.Length);
            buffer.AddRange(Encoding.ASCII.GetBytes(label));
        }
    }

    /// <summary>Reads a reply; checks that it answers the query with <paramref name="id"/> for <paramref name="name"/>/<paramref name="type"/>.</summary>
    /// <exception cref="DnsFormatException">Not a DNS reply, or not the reply to that query.</exception>
    public static DnsReply Parse(ReadOnlySpan<byte> message, ushort id, string name, DnsType type)
    {
        if (message.Length < 12)
        {
            throw new DnsFormatException("the reply is shorter than a DNS header");
        }

        var replyId = BinaryPrimitives.ReadUInt16BigEndian(message);
        var flags = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        if (replyId != id || (flags & 0x8000) == 0)
        {
            throw new DnsFormatException("the reply does not answer this query (id or QR bit)");
        }

        int qd = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        int an = BinaryPrimitives.ReadUInt16BigEndian(message[6..]);
        var pos = 12;
        var truncated = (flags & 0x0200) != 0;
        if (qd != 1)
        {
            // A truncated reply may carry no question; anything else must echo the one question.
            if (truncated && qd == 0)
            {
                return new DnsReply(replyId, flags & 0x000f, (flags & 0x0400) != 0, true, false, []);
            }

            throw new DnsFormatException(string.Create(CultureInfo.InvariantCulture, $"the reply has {qd} questions, not 1"));
        }

        var qname = ReadName(message, ref pos);
        if (pos + 4 > message.Length)
        {
            throw new DnsFormatException("the question is cut short");
        }

        var qtype = BinaryPrimitives.ReadUInt16BigEndian(message[pos..]);
        pos += 4;
        if (qtype != (ushort)type || !string.Equals(qname, Normalize(name), StringComparison.Ordinal))
        {
            throw new DnsFormatException("the reply is for another question");
        }

        var answers = new List<DnsRecord>(an);
        for (var i = 0; i < an && !truncated; i++)
        {
            answers.Add(ReadRecord(message, ref pos));
        }

        return new DnsReply(replyId, flags & 0x000f, (flags & 0x0400) != 0, truncated, (flags & 0x0020) != 0, answers);
    }

    private static DnsRecord ReadRecord(ReadOnlySpan<byte> message, ref int pos)
    {
        var owner = ReadName(message, ref pos);
        if (pos + 10 > message.Length)
        {
            throw new DnsFormatException("a record is cut short");
        }

        var rtype = BinaryPrimitives.ReadUInt16BigEndian(message[pos..]);
        var ttl = BinaryPrimitives.ReadUInt32BigEndian(message[(pos + 4)..]);
        int length = BinaryPrimitives.ReadUInt16BigEndian(message[(pos + 8)..]);
        pos += 10;
        if (pos + length > message.Length)
        {
            throw new DnsFormatException("a record's data is cut short");
        }

        var start = pos;
        var data = message.Slice(pos, length).ToArray();
        pos += length;
        if ((DnsType)rtype is DnsType.Ns or DnsType.Cname)
        {
            var p = start;
            return new DnsRecord(owner, rtype, ttl, data, ReadName(message, ref p));
        }

        if ((DnsType)rtype is DnsType.Mx)
        {
            if (length < 3)
            {
                throw new DnsFormatException("an MX record is too short");
            }

            var p = start + 2;
            return new DnsRecord(owner, rtype, ttl, data, ReadName(message, ref p), BinaryPrimitives.ReadUInt16BigEndian(data));
        }

        return new DnsRecord(owner, rtype, ttl, data);
    }

    /// <summary>Reads a possibly compressed name at <paramref name="pos"/> (moved past it); lower case, no final dot, <c>.</c> for the root.</summary>
    private static string ReadName(ReadOnlySpan<byte> message, ref int pos)
    {
        var sb = new StringBuilder();
        var p = pos;
        var jumped = false;
        var jumps = 0;
        while (true)
        {
            if (p >= message.Length)
            {
                throw new DnsFormatException("a name runs past the end of the reply");
            }

            int length = message[p];
            if ((length & 0xc0) == 0xc0)
            {
                if (p + 1 >= message.Length)
                {
                    throw new DnsFormatException("a compression pointer is cut short");
                }

                var target = ((length & 0x3f) << 8) | message[p + 1];
                if (target >= p || ++jumps > 64)
                {
                    throw new DnsFormatException("a compression pointer does not point backwards");
                }

                if (!jumped)
                {
                    pos = p + 2;
                    jumped = true;
                }

                p = target;
                continue;
            }

            if ((length & 0xc0) != 0)
            {
                throw new DnsFormatException("a name has an unknown label type");
            }

            p++;
            if (length == 0)
            {
                break;
            }

            if (p + length > message.Length || sb.Length + length > 255)
            {
                throw new DnsFormatException("a name is cut short or too long");
            }

            if (sb.Length > 0)
            {
                sb.Append('.');
            }

            foreach (var b in message.Slice(p, length))
            {
                // Escape what is not printable ASCII, so a hostile name cannot reach a terminal as is.
                if (b is > 0x20 and < 0x7f and not (byte)'.' and not (byte)'\\')
                {
                    sb.Append(char.ToLowerInvariant((char)b));
                }
                else
                {
                    sb.Append('\\').Append(b.ToString("D3", CultureInfo.InvariantCulture));
                }
            }

            p += length;
        }

        if (!jumped)
        {
            pos = p;
        }

        return sb.Length == 0 ? "." : sb.ToString();
    }

    /// <summary>The text of a response code for messages.</summary>
    public static string RcodeName(int rcode) => rcode switch
    {
        NoError => "NOERROR",
        1 => "FORMERR",
        ServFail => "SERVFAIL",
        NxDomain => "NXDOMAIN",
        4 => "NOTIMP",
        Refused => "REFUSED",
        _ => string.Create(CultureInfo.InvariantCulture, $"RCODE {rcode}"),
    };

    /// <summary>A query type by its name (<c>ns</c>, <c>MX</c>, <c>tlsa</c>) as <c>dnssec_probe</c> writes it, or null.</summary>
    public static DnsType? TypeByName(string name) => name.ToUpperInvariant() switch
    {
        "A" => DnsType.A,
        "NS" => DnsType.Ns,
        "CNAME" => DnsType.Cname,
        "SOA" => DnsType.Soa,
        "MX" => DnsType.Mx,
        "TXT" => DnsType.Txt,
        "AAAA" => DnsType.Aaaa,
        "SRV" => DnsType.Srv,
        "DS" => DnsType.Ds,
        "DNSKEY" => DnsType.Dnskey,
        "TLSA" => DnsType.Tlsa,
        _ => null,
    };
}
