using System.Text;

namespace PostfixConfig.Fuzz;

/// <summary>
/// Makes fuzz inputs from seeds: byte and token mutations (flip, overwrite, insert a syntax token,
/// delete, duplicate, splice with another seed, truncate, repeat or move lines, continuation lines,
/// huge numbers, Unicode and invalid UTF-8, NUL), a PEM-aware mutation of the DER inside a PEM block,
/// and now and then pure noise. Deterministic for a given <see cref="Random"/> seed.
/// </summary>
internal sealed class Mutator
{
    /// <summary>Generated inputs stay under this size (the hang limit applies to inputs up to 64 KiB).</summary>
    public const int MaxInputBytes = 64 * 1024;

    private static readonly string[] CommonTokens =
    [
        "\0", "\t", "\r", "\r\n", "\n", "\n ", "\n\t", " \\\n", "\\", "\"", "'", "#", "$", "$$", "${", "}", "{", "$(", ")",
        "=", " = ", ",", ":", ";", "|", "!", "~", "%", "@", "*", "&", "?",
        "99999999999999999999999999", "-1", "-2147483648", "2147483648", "9223372036854775808", "1e999", "0x7fffffff", "NaN", "00000000000000000001",
        "\u00e9", "\u65e5\u672c", "\u2028", "\u2029", "\u0085", "\ufeff", "\u200b", "\u202e", "\ud83d\ude00", "\uffff",
        "/dev/zero", "/dev/urandom", "/dev/stdin", "..", "../", "/etc/postfix/", "main.cf", "master.cf",
    ];

    private static readonly byte[][] RawBytes =
    [
        [0x00], [0xFF], [0xFE], [0x80], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xEF, 0xBB, 0xBF], [0xFF, 0xFE], [0x30, 0x82, 0xFF, 0xFF], [0x30, 0x80],
    ];

    private readonly Random _random;
    private readonly byte[][] _seeds;
    private readonly byte[][] _tokens;

    public Mutator(Random random, IReadOnlyList<byte[]> seeds, IEnumerable<string> targetTokens)
    {
        _random = random;
        _seeds = [.. seeds];
        _tokens = [.. targetTokens.Concat(CommonTokens).Select(Encoding.UTF8.GetBytes).Concat(RawBytes)];
    }

    /// <summary>The next input: usually a seed with 1 to 8 mutations, sometimes tokens or noise.</summary>
    public byte[] Next()
    {
        var roll = _random.Next(100);
        if (roll < 3)
        {
            return Noise();
        }

        if (roll < 8)
        {
            return TokenSoup();
        }

        var data = new List<byte>(_seeds.Length == 0 ? [] : _seeds[_random.Next(_seeds.Length)]);
        var edits = 1 + _random.Next(_random.Next(4) == 0 ? 32 : 8);
        for (var i = 0; i < edits; i++)
        {
            Mutate(data);
            if (data.Count > MaxInputBytes)
            {
                data.RemoveRange(MaxInputBytes, data.Count - MaxInputBytes);
            }
        }

        return [.. data];
    }

    private byte[] Noise()
    {
        var data = new byte[_random.Next(_random.Next(8) == 0 ? MaxInputBytes : 512)];
        _random.NextBytes(data);
        return data;
    }

    private byte[] TokenSoup()
    {
        var data = new List<byte>();
        var n = _random.Next(1, 200);
        for (var i = 0; i < n && data.Count < MaxInputBytes; i++)
        {
            data.AddRange(_tokens[_random.Next(_tokens.Length)]);
        }

        return [.. data];
    }

    private int At(List<byte> data, int extra = 0) => _random.Next(data.Count + extra);

    private void Mutate(List<byte> data)
    {
        switch (_random.Next(15))
        {
            case 0 when data.Count > 0: // flip one bit
                var i = At(data);
                data[i] = unchecked((byte)(data[i] ^ (1 << _random.Next(8))));
                break;
            case 1 when data.Count > 0: // overwrite with a random byte
                data[At(data)] = (byte)_random.Next(256);
                break;
            case 2:
            case 3:
            case 4: // insert a syntax token
                data.InsertRange(At(data, 1), _tokens[_random.Next(_tokens.Length)]);
                break;
            case 5 when data.Count > 0: // delete a range
                var from = At(data);
                data.RemoveRange(from, Math.Min(data.Count - from, 1 + _random.Next(_random.Next(2) == 0 ? 4 : 256)));
                break;
            case 6 when data.Count > 0: // duplicate a range somewhere
                var start = At(data);
                var length = Math.Min(data.Count - start, 1 + _random.Next(512));
                data.InsertRange(At(data, 1), data.GetRange(start, length));
                break;
            case 7 when _seeds.Length > 0: // splice: this input's head, another seed's tail
                var other = _seeds[_random.Next(_seeds.Length)];
                var cut = At(data, 1);
                data.RemoveRange(cut, data.Count - cut);
                data.AddRange(other.AsSpan(_random.Next(other.Length + 1)));
                break;
            case 8 when data.Count > 0: // truncate
                var keep = At(data);
                data.RemoveRange(keep, data.Count - keep);
                break;
            case 9: // repeat one line many times
                RepeatLine(data);
                break;
            case 10: // move a line elsewhere
                MoveLine(data);
                break;
            case 11: // start a continuation line
                data.InsertRange(At(data, 1), _random.Next(2) == 0 ? "\n "u8.ToArray() : "\n\t"u8.ToArray());
                break;
            case 12: // a raw byte sequence (invalid UTF-8, NUL, BOM, DER headers)
                data.InsertRange(At(data, 1), RawBytes[_random.Next(RawBytes.Length)]);
                break;
            case 13: // change the DER inside a PEM block
                MutateDer(data);
                break;
            default: // a run of one token
                var token = _tokens[_random.Next(_tokens.Length)];
                var at = At(data, 1);
                for (var k = _random.Next(2, 64); k > 0; k--)
                {
                    data.InsertRange(at, token);
                }

                break;
        }
    }

    private (int Start, int End) RandomLine(List<byte> data)
    {
        if (data.Count == 0)
        {
            return (0, 0);
        }

        var at = At(data);
        var start = data.LastIndexOf((byte)'\n', at);
        var end = data.IndexOf((byte)'\n', at);
        return (start + 1, end < 0 ? data.Count : end + 1);
    }

    private void RepeatLine(List<byte> data)
    {
        var (start, end) = RandomLine(data);
        if (end <= start)
        {
            return;
        }

        var line = data.GetRange(start, end - start);
        var times = Math.Min(_random.Next(2, 2000), (MaxInputBytes - data.Count) / line.Count);
        for (var k = 0; k < times; k++)
        {
            data.InsertRange(end, line);
        }
    }

    private void MoveLine(List<byte> data)
    {
        var (start, end) = RandomLine(data);
        if (end <= start)
        {
            return;
        }

        var line = data.GetRange(start, end - start);
        data.RemoveRange(start, end - start);
        var (to, _) = RandomLine(data);
        data.InsertRange(Math.Min(to, data.Count), line);
    }

    private void MutateDer(List<byte> data)
    {
        var text = Encoding.Latin1.GetString([.. data]);
        var begin = text.IndexOf("-----\n", StringComparison.Ordinal);
        var end = begin < 0 ? -1 : text.IndexOf("\n-----END", begin, StringComparison.Ordinal);
        if (end < begin + 6)
        {
            return;
        }

        var body = text[(begin + 6)..end];
        byte[] der;
        try
        {
            der = Convert.FromBase64String(body.Replace("\n", string.Empty, StringComparison.Ordinal));
        }
        catch (FormatException)
        {
            return;
        }

        if (der.Length == 0)
        {
            return;
        }

        for (var k = _random.Next(1, 4); k > 0; k--)
        {
            var i = _random.Next(der.Length);
            der[i] = _random.Next(3) switch
            {
                0 => unchecked((byte)(der[i] ^ (1 << _random.Next(8)))),
                1 => (byte)_random.Next(256),
                _ => _random.Next(2) == 0 ? (byte)0xFF : (byte)0x00,
            };
        }

        if (_random.Next(4) == 0)
        {
            der = der[.._random.Next(der.Length)];
        }

        var encoded = Convert.ToBase64String(der, Base64FormattingOptions.InsertLineBreaks).Replace("\r\n", "\n", StringComparison.Ordinal);
        var replaced = string.Concat(text.AsSpan(0, begin + 6), encoded, text.AsSpan(end));
        data.Clear();
        data.AddRange(Encoding.Latin1.GetBytes(replaced));
    }
}
