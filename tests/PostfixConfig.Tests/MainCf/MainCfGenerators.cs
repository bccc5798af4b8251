using CsCheck;

namespace PostfixConfig.Tests.MainCf;

/// <summary>
/// CsCheck generators of main.cf text over real parameter names and values: definitions with odd
/// spacing and tabs, continuation lines (some of them comments), comment and blank lines, duplicates,
/// <c>$</c> expressions, indented text before the first setting, CRLF line ends and a missing final newline.
/// </summary>
internal static class MainCfGenerators
{
    /// <summary>
    /// Real names (TLS and not), user-defined names that values refer to, and names Postfix does not know.
    /// Not myhostname, mydomain, inet_interfaces or compatibility_level: postconf evaluates them while
    /// starting (with host lookups, and with only main.cf's own settings), which is not the reader's business.
    /// </summary>
    public static readonly string[] Names =
    [
        "smtpd_tls_security_level", "smtp_tls_security_level", "smtpd_tls_cert_file", "smtpd_tls_key_file",
        "smtpd_tls_chain_files", "smtp_tls_CApath", "smtpd_tls_loglevel", "smtp_tls_policy_maps",
        "smtpd_tls_mandatory_protocols", "smtp_tls_session_cache_database", "smtpd_use_tls", "tls_high_cipherlist",
        "mynetworks", "relayhost", "smtpd_banner", "alias_maps", "smtpd_relay_restrictions", "my_thing", "local_x1",
        "smtpd_tls_secutity_level",
        "weird.name", "UPPER_case",
    ];

    /// <summary>Value fragments: words, paths, tables, lists, expressions, and text that looks like syntax.</summary>
    public static readonly string[] Fragments =
    [
        "may", "encrypt", "yes", "no", "none", "/etc/ssl/certs/ssl-cert-snakeoil.pem", "hash:/etc/postfix/tls_policy",
        "btree:${data_directory}/smtp_scache", "$myhostname", "${my_thing}", "$(local_x1)", "${my_thing?yes}",
        "${local_x1:{no}}", "${{$compatibility_level} <level {3.6} ? {md5} : {sha256}}", "a, b,c", "1 # not a comment",
        "{ x = y }", "\"quoted\"", "$$literal", "127.0.0.0/8 [::1]/128", "permit_mynetworks, reject", "!SSLv2, !SSLv3",
        ">=TLSv1.2", "=", "a=b", "#hash", "ESMTP $mail_name", "3.6", "x,", "multi word value",
    ];

    private static readonly Gen<string> Space = Gen.OneOf("", " ", "\t", "  ", " \t ");

    private static readonly Gen<string> Indent = Gen.Frequency((8, Gen.OneOf(" ", "\t", "    ", "\t ")), (1, Gen.Const(" \v")), (1, Gen.Const("\f ")));

    private static readonly Gen<string> Random = Gen.String[Gen.Char[" \tabcxyz019#=${}():,.-_/!?<>"], 1, 12];

    private static readonly Gen<string> Fragment = Gen.Frequency((4, Gen.OneOf(Fragments)), (1, Random));

    private static readonly Gen<string> Value = Gen.Frequency(
        (1, Gen.Const(string.Empty)),
        (6, Fragment),
        (2, Gen.Select(Fragment, Space, Fragment, (a, s, b) => a + s + b)));

    private static readonly Gen<string> Start = Gen.Select(Gen.OneOf(Names), Space, Space, Value, Gen.OneOf("", "", " ", "\t", "  \t"),
        (n, s1, s2, v, trail) => n + s1 + "=" + s2 + v + trail);

    private static readonly Gen<string> Continuation = Gen.Select(Indent, Fragment, Gen.OneOf("", " ", "\t"), (i, f, t) => i + f + t);

    private static readonly Gen<string> Comment = Gen.Select(Space, Gen.OneOf("", " ", "#"), Fragment, (s, h, f) => s + "#" + h + f);

    private static readonly Gen<string> Blank = Gen.OneOf("", " ", "\t", "  \t");

    /// <summary>A line that is not name = value (Postfix refuses the file).</summary>
    private static readonly Gen<string> Broken = Gen.OneOf("just words", "= value", "name value", "smtpd_use_tls");

    /// <summary>Lines of a well-formed file (Postfix accepts it); indented text may come first.</summary>
    public static readonly Gen<string[]> Lines = Gen.Select(
        Gen.Frequency((9, Gen.Const(Array.Empty<string>())), (1, Continuation.Array[1, 2])),
        Gen.Frequency((10, Start), (4, Continuation), (3, Comment), (2, Blank)).Array[0, 30],
        (orphans, body) => orphans.Concat(body).ToArray());

    /// <summary>Lines where one may be broken.</summary>
    public static readonly Gen<string[]> LinesMaybeBroken = Gen.Select(Lines, Gen.Int[0, 30], Broken, Gen.Int[0, 9],
        (lines, at, broken, chance) => chance == 0 ? [.. lines.Take(at), broken, .. lines.Skip(at)] : lines);

    /// <summary>Joins lines with LF or CRLF, with or without a final line end.</summary>
    public static Gen<string> Text(Gen<string[]> lines) => Gen.Select(lines, Gen.Frequency((5, Gen.Const("\n")), (1, Gen.Const("\r\n"))), Gen.Bool,
        (l, nl, final) => l.Length == 0 ? string.Empty : string.Join(nl, l) + (final ? nl : string.Empty));

    /// <summary>Any text at all, for round-trip checks: unicode, a byte-order mark, stray CR, lone newlines.</summary>
    public static readonly Gen<string> AnyText = Gen.Select(
        Gen.Bool,
        Gen.String[Gen.Frequency((6, Gen.Char[" \t\r\n#=$a-z{}"]), (2, Gen.Char['a', 'z']), (1, Gen.Char['\u00e0', '\u00ff']), (1, Gen.Char['\u4e00', '\u4e20'])), 0, 200],
        (bom, s) => (bom ? "\uFEFF" : string.Empty) + s);
}
