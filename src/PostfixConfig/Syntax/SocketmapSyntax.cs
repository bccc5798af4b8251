using System.Globalization;
using System.Net;

namespace PostfixConfig.Syntax;

/// <summary>A socketmap endpoint: <c>inet:HOST:PORT</c>, <c>unix:PATH</c> or <c>local:PATH</c>.</summary>
/// <param name="Transport">inet, unix or local.</param>
/// <param name="Host">inet only: the host (without brackets).</param>
/// <param name="Port">inet only: the port (digits or a service name).</param>
/// <param name="Path">unix and local only: the socket's path.</param>
internal sealed record SocketmapEndpoint(string Transport, string? Host, string? Port, string? Path)
{
    /// <summary>The port as a number, or <see langword="null"/> for a service name or unix.</summary>
    public int? PortNumber => Port is { } p && int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
}

/// <summary>
/// The syntax of socketmap tables, as Postfix reads them (<c>dict_sockmap.c</c>, <c>auto_clnt.c</c>,
/// <c>host_port.c</c>): <c>socketmap:inet:HOST:PORT:NAME</c> or <c>socketmap:unix:PATH:NAME</c> (also
/// <c>local:</c>). The map name is what follows the last colon; the endpoint before it is
/// <c>TRANSPORT:ENDPOINT</c>, and any other transport makes the client stop with a fatal error
/// ("invalid transport name"). Each check returns <see langword="null"/> when the text is fine, else
/// a phrase that says what is wrong and how to write it.
/// </summary>
internal static class SocketmapSyntax
{
    /// <summary>The transports Postfix's socketmap client knows.</summary>
    private static readonly string[] Transports = ["inet", "unix", "local"];

    /// <summary>Splits what follows <c>socketmap:</c> into the endpoint and the map name (at the last colon), or null without a colon.</summary>
    public static (string Endpoint, string MapName)? Split(string name)
    {
        var colon = name.LastIndexOf(':');
        return colon < 0 ? null : (name[..colon], name[(colon + 1)..]);
    }

    /// <summary>What is wrong with the name part of <c>socketmap:NAME</c>, or null.</summary>
    public static string? CheckMapName(string name)
    {
        if (Split(name) is not { } parts)
        {
            return $"'socketmap:{name}' names no server and map: write socketmap:inet:HOST:PORT:NAME or socketmap:unix:PATH:NAME (Postfix: \"socketmap requires server:socketmap argument\", every lookup fails)";
        }

        if (parts.MapName.Length == 0)
        {
            return $"'socketmap:{name}' ends with a colon: the socketmap name (the first word of every request, such as postfix or QUERY) is missing after it";
        }

        if (CheckEndpoint(parts.Endpoint) is { } problem)
        {
            // A map name that looks like a port means the name itself was left out.
            return parts.MapName.All(char.IsAsciiDigit) && parts.Endpoint.StartsWith("inet:", StringComparison.Ordinal) && !parts.Endpoint[5..].Contains(':', StringComparison.Ordinal)
                ? $"'socketmap:{name}' has no socketmap name: after inet:HOST:PORT comes :NAME (socketmap:{name}:postfix, say)"
                : $"'socketmap:{name}': {problem}";
        }

        return null;
    }

    /// <summary>What is wrong with an endpoint <c>inet:HOST:PORT</c> / <c>unix:PATH</c> / <c>local:PATH</c>, or null.</summary>
    public static string? CheckEndpoint(string endpoint) => Parse(endpoint, out var problem) is null ? problem : null;

    /// <summary>The endpoint, or null with <paramref name="problem"/> saying why not.</summary>
    public static SocketmapEndpoint? Parse(string endpoint, out string? problem)
    {
        problem = null;
        var colon = endpoint.IndexOf(':', StringComparison.Ordinal);
        var transport = colon < 0 ? endpoint : endpoint[..colon];
        var rest = colon < 0 ? string.Empty : endpoint[(colon + 1)..];
        if (!Transports.Contains(transport, StringComparer.Ordinal))
        {
            problem = colon < 0 || transport.Length == 0
                ? $"the server '{endpoint}' names no transport; write inet:HOST:PORT or unix:PATH"
                : $"'{transport}' is not a transport (Postfix stops with \"invalid transport name: {transport}\"); write inet:{endpoint} for a TCP server or unix:PATH for a UNIX-domain socket";
            return null;
        }

        if (rest.Length == 0)
        {
            problem = transport == "inet" ? "inet: needs HOST:PORT after it (inet:127.0.0.1:8461)" : $"{transport}: needs the socket's path after it ({transport}:/run/resolver/socket)";
            return null;
        }

        if (transport != "inet")
        {
            return new SocketmapEndpoint(transport, null, null, rest);
        }

        string host;
        string port;
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                problem = $"inet:{rest} has no closing ']'";
                return null;
            }

            host = rest[1..close];
            var after = rest[(close + 1)..];
            if (!after.StartsWith(':') || after.Length == 1)
            {
                problem = $"inet:{rest} has no port: write inet:[{host}]:PORT";
                return null;
            }

            port = after[1..];
            if (!IPAddress.TryParse(host.StartsWith("ipv6:", StringComparison.OrdinalIgnoreCase) ? host[5..] : host, out _))
            {
                problem = $"[{host}] in inet:{rest} is not an IP address";
                return null;
            }
        }
        else
        {
            var last = rest.LastIndexOf(':');
            if (last < 0 || last == rest.Length - 1)
            {
                problem = $"inet:{rest} has no port: write inet:{rest.TrimEnd(':')}:PORT (postfix-mta-sts-resolver listens on 8461, postfix-tlspol on 8642)";
                return null;
            }

            host = rest[..last];
            port = rest[(last + 1)..];
            if (host.Length > 0 && !IPAddress.TryParse(host, out _) && !IsHostName(host)) // no host: Postfix connects to localhost
            {
                problem = $"'{host}' in inet:{rest} is neither a host name nor an IP address";
                return null;
            }
        }

        if (char.IsAsciiDigit(port[0]))
        {
            if (!port.All(char.IsAsciiDigit) || !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > 65535)
            {
                problem = $"the port '{port}' in inet:{rest} is not a number from 1 to 65535";
                return null;
            }
        }
        else if (!port.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            problem = $"the port '{port}' in inet:{rest} is neither a number nor a service name";
            return null;
        }

        return new SocketmapEndpoint("inet", host, port, null);
    }

    private static bool IsHostName(string host) =>
        host.Length <= 253 && host.TrimEnd('.').Split('.').All(l => l.Length is > 0 and <= 63 && l[0] != '-' && l[^1] != '-' && l.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));
}
