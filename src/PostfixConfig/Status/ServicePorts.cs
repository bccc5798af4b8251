using System.Globalization;

namespace PostfixConfig.Status;

/// <summary>
/// The TCP port of a master.cf service field, as master resolves it: the part after the last <c>:</c>
/// (<c>127.0.0.1:2525</c>, <c>[::1]:smtp</c>), a number as it is, a name through the services file
/// (<c>/etc/services</c>, <c>tcp</c> lines). Never asks a resolver.
/// </summary>
internal sealed class ServicePorts(string servicesFile)
{
    /// <summary>The names every services file has, for a host without one.</summary>
    private static readonly Dictionary<string, int> Fallback = new(StringComparer.Ordinal)
    {
        ["smtp"] = 25,
        ["submission"] = 587,
        ["submissions"] = 465,
        ["smtps"] = 465,
        ["urd"] = 465,
        ["lmtp"] = 24,
    };

    private Dictionary<string, int>? _byName;

    /// <summary>The port of <paramref name="service"/>, or <see langword="null"/> when the name is in no services file.</summary>
    public int? Of(string service)
    {
        var colon = service.LastIndexOf(':');
        var port = colon < 0 ? service : service[(colon + 1)..];
        if (port.Length > 0 && port.All(char.IsAsciiDigit))
        {
            return int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and < 65536 ? n : null;
        }

        _byName ??= Read(servicesFile);
        return _byName.TryGetValue(port, out var p) ? p : Fallback.TryGetValue(port, out var f) ? f : null;
    }

    /// <summary>The <c>tcp</c> names and aliases of a services file (empty when it cannot be read).</summary>
    internal static Dictionary<string, int> Read(string path)
    {
        var ports = new Dictionary<string, int>(StringComparer.Ordinal);
        string text;
        try
        {
            text = System.Text.Encoding.UTF8.GetString(IO.BoundedFile.ReadAllBytes(path, 4L << 20, regularOnly: true));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ports;
        }

        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Split('#')[0];
            var fields = line.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2 || fields[1].Split('/') is not [var number, "tcp"]
                || !int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var port))
            {
                continue;
            }

            foreach (var name in fields.Where((_, i) => i != 1))
            {
                ports.TryAdd(name, port);
            }
        }

        return ports;
    }
}
