using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.MainCf;

/// <summary>
/// The legacy TLS switches of Postfix 2.2 and the security level each combination amounts to
/// (Postfix 2.3 and later ignore the switches when the level is non-empty):
/// server: enforce_tls=yes → encrypt, else use_tls=yes → may;
/// client: enforce_tls=yes → verify (or encrypt when enforce_peername=no), else use_tls=yes → may;
/// otherwise no TLS, which an empty level already means. Also comments out the separate key and
/// certificate files where <c>*_tls_chain_files</c> (3.4+) is in effect, since Postfix ignores them then.
/// </summary>
internal static class LegacyTlsMigration
{
    internal sealed record Family(string Level, string Use, string Enforce, string? PeerName)
    {
        public bool IsClient => PeerName is not null;

        public IEnumerable<string> LegacyNames => PeerName is null ? [Use, Enforce] : [Use, Enforce, PeerName];

        /// <summary>The level the switches amount to ("" for none).</summary>
        public string LevelFor(bool use, bool enforce, bool peerName) =>
            enforce ? (IsClient && peerName ? "verify" : "encrypt") : use ? "may" : string.Empty;
    }

    internal static readonly Family[] Families =
    [
        new("smtpd_tls_security_level", "smtpd_use_tls", "smtpd_enforce_tls", null),
        new("smtp_tls_security_level", "smtp_use_tls", "smtp_enforce_tls", "smtp_tls_enforce_peername"),
        new("lmtp_tls_security_level", "lmtp_use_tls", "lmtp_enforce_tls", "lmtp_tls_enforce_peername"),
    ];

    /// <summary>A yes/no value after expansion, or <see langword="null"/> when it is something else.</summary>
    internal static bool? Boolean(ParameterExpansion expansion, string name)
    {
        var r = expansion.ExpandParameter(name);
        if (r.Error is not null || r.Value is null)
        {
            return null;
        }

        var v = r.Value.Trim();
        return v.Equals("yes", StringComparison.OrdinalIgnoreCase) ? true
            : v.Equals("no", StringComparison.OrdinalIgnoreCase) ? false
            : null;
    }

    public static void Apply(
        MainCfDocument document,
        TlsConfiguration yaml,
        PostfixVersion version,
        ParameterCatalog catalog,
        MainCfEditor editor,
        List<Diagnostic> diagnostics,
        List<MainCfChange> changes)
    {
        var expansion = ParameterExpansion.For(document, version, catalog);
        foreach (var family in Families)
        {
            var present = family.LegacyNames.Where(n => document.Find(n) is not null).ToList();
            if (present.Count == 0 || catalog.Find(family.Level) is not { } levelInfo || !levelInfo.IsKnownIn(version))
            {
                continue;
            }

            var first = present.Select(n => document.FindAll(n).First()).OrderBy(p => p.FirstLine).First();
            if (present.FirstOrDefault(yaml.Main.ContainsKey) is { } fromYaml)
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Info, DiagnosticCodes.MergeMigrationSkipped, fromYaml,
                    $"--migrate left {string.Join(", ", present)} alone because the YAML sets {fromYaml}; remove it from the YAML to migrate it to {family.Level}.",
                    first.NameSpan));
                continue;
            }

            var use = Boolean(expansion, family.Use);
            var enforce = Boolean(expansion, family.Enforce);
            var peer = family.PeerName is null ? true : Boolean(expansion, family.PeerName);
            if (use is null || enforce is null || peer is null)
            {
                var odd = present.First(n => Boolean(expansion, n) is null);
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.MergeMigrationSkipped, odd,
                    $"--migrate left {string.Join(", ", present)} alone because {odd} = {document.Find(odd)!.Value} is not yes or no; set {family.Level} yourself and remove the old switches.",
                    document.Find(odd)!.ValueSpan));
                continue;
            }

            var computed = family.LevelFor(use.Value, enforce.Value, peer.Value);
            var effective = yaml.Main.GetText(family.Level) ?? expansion.ExpandParameter(family.Level).Value ?? string.Empty;
            var legacyText = string.Join(", ", present.Select(n => $"{n} = {document.Find(n)!.Value}"));
            IReadOnlyList<(string, string)> insert = [];
            string outcome;
            if (yaml.Main.GetText(family.Level) is { } levelFromYaml)
            {
                outcome = $"{family.Level} = {levelFromYaml} from the YAML replaces them";
            }
            else if (effective.Trim().Length > 0)
            {
                outcome = $"{family.Level} = {effective.Trim()} is in effect, and it overrides them";
            }
            else if (computed.Length == 0)
            {
                outcome = $"they amount to no TLS, which an unset {family.Level} already means";
            }
            else
            {
                outcome = $"{family.Level} = {computed} replaces them";
                if (document.Find(family.Level) is not null)
                {
                    editor.Set(family.Level, computed);
                    changes.Add(new MainCfChange(family.Level, MainCfChangeKind.Replaced, document.Find(family.Level)!.Value, computed));
                }
                else
                {
                    insert = [(family.Level, computed)];
                    changes.Add(new MainCfChange(family.Level, MainCfChangeKind.Added, null, computed));
                }
            }

            var note = $"postfix-config merge --migrate: {legacyText} superseded; {outcome}.";
            editor.CommentOut(first.Name, [note], insert);
            foreach (var name in present)
            {
                if (name != first.Name)
                {
                    editor.CommentOut(name, [], []);
                }

                changes.Add(new MainCfChange(name, MainCfChangeKind.CommentedOut, document.Find(name)!.Value, null));
            }

            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Info, DiagnosticCodes.MergeMigrated, first.Name,
                $"Migrated {legacyText}: {outcome}; the old lines are kept as comments.", first.NameSpan));
        }

        foreach (var prefix in ChainFilePrefixes)
        {
            SupersededKeyFiles(document, yaml, version, catalog, expansion, editor, diagnostics, changes, prefix);
        }
    }

    /// <summary>The components whose <c>*_tls_chain_files</c> (3.4+) replaces the separate key and certificate files.</summary>
    private static readonly string[] ChainFilePrefixes = ["smtpd", "smtp", "lmtp"];

    private static readonly string[] KeyFileSuffixes = ["cert_file", "key_file", "eccert_file", "eckey_file", "dcert_file", "dkey_file"];

    /// <summary>
    /// When <c>*_tls_chain_files</c> is in effect, Postfix ignores the separate key and certificate
    /// parameters (and warns that they are set): comment them out.
    /// </summary>
    private static void SupersededKeyFiles(
        MainCfDocument document,
        TlsConfiguration yaml,
        PostfixVersion version,
        ParameterCatalog catalog,
        ParameterExpansion expansion,
        MainCfEditor editor,
        List<Diagnostic> diagnostics,
        List<MainCfChange> changes,
        string prefix)
    {
        var chain = prefix + "_tls_chain_files";
        if (catalog.Find(chain)?.IsKnownIn(version) != true)
        {
            return;
        }

        var chainValue = yaml.Main.GetText(chain) ?? expansion.ExpandParameter(chain).Value ?? string.Empty;
        var ignored = KeyFileSuffixes.Select(s => $"{prefix}_tls_{s}").Where(n => document.Find(n) is not null && !yaml.Main.ContainsKey(n)).ToList();
        if (chainValue.Trim().Length == 0 || ignored.Count == 0)
        {
            return;
        }

        var first = ignored.Select(n => document.FindAll(n).First()).OrderBy(p => p.FirstLine).First();
        var written = string.Join(", ", ignored.Select(n => $"{n} = {document.Find(n)!.Value}"));
        editor.CommentOut(first.Name, [$"postfix-config merge --migrate: {chain} is set, so Postfix ignores {written}."], []);
        foreach (var name in ignored)
        {
            if (name != first.Name)
            {
                editor.CommentOut(name, [], []);
            }

            changes.Add(new MainCfChange(name, MainCfChangeKind.CommentedOut, document.Find(name)!.Value, null));
        }

        diagnostics.Add(new Diagnostic(DiagnosticSeverity.Info, DiagnosticCodes.MergeMigrated, first.Name,
            $"{chain} is set, so Postfix ignores {string.Join(", ", ignored)} (and warns about them); they are kept as comments.", first.NameSpan));
    }
}
