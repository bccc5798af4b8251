using FluentValidation;
using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;
using PostfixConfig.Text;

namespace PostfixConfig.Validation.Rules;

/// <summary>
/// The SNI table (<c>sni</c>, for <c>tls_server_sni_maps</c>, Postfix 3.4 and later): the release,
/// a table that can hold it (an indexed file table, built with <c>postmap -F</c>, which replaces
/// each file name by the file's contents), and each entry's name and files. The files themselves
/// are checked like <c>smtpd_tls_chain_files</c> with <c>--check-files</c>.
/// </summary>
internal sealed class SniRules : RuleSet
{
    private const string Maps = "tls_server_sni_maps";

    protected override void Check(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        var table = t.Config.Sni;
        if (table.Count == 0)
        {
            return;
        }

        if (!t.Knows(Maps))
        {
            var since = t.Catalog.Find(Maps)?.Since.Describe() ?? "3.4";
            context.Error(DiagnosticCodes.SniNotInRelease, "sni",
                $"{t.Release} has no SNI support (tls_server_sni_maps exists from Postfix {since}); remove 'sni' or target a newer release. "
                + "The server then presents its one certificate to every client.",
                table[0].Span);
            return;
        }

        var maps = t.Text(Maps);
        var target = maps is null ? null : MapTypes.FirstFileTable(maps);
        if (target is null || !MapTypes.IsIndexed(target.Value.Type))
        {
            context.Error(DiagnosticCodes.SniMapsMissing, Maps,
                maps is null
                    ? "sni has entries but tls_server_sni_maps is not set; add 'tls_server_sni_maps: hash:/etc/postfix/sni' to main so Postfix reads the table."
                    : target is { } t2
                        ? $"tls_server_sni_maps = {maps}: a {t2.Type}: table cannot hold an SNI table, whose values must be the files' contents that only 'postmap -F' writes into an indexed table; use hash:, lmdb:, cdb: or btree:."
                        : $"tls_server_sni_maps = {maps} names no file table to write sni to; use hash:, lmdb:, cdb: or btree:.",
                t.SpanOf(Maps) ?? table[0].Span);
        }

        var folded = new Dictionary<string, SniEntry>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in table)
        {
            var where = $"sni[{entry.Name}]";
            if (entry.Name.Contains('[', StringComparison.Ordinal) || entry.Name.Contains(':', StringComparison.Ordinal) || !PolicyTableRules.IsDestination(entry.Name))
            {
                context.Error(DiagnosticCodes.InvalidSniEntry, where,
                    $"'{PostfixText.Printable(entry.Name)}' is not a host name or .domain, which is what a TLS client asks for with SNI (mail.example.com, or .example.com for every host below it).",
                    entry.Span);
            }
            else if (folded.TryGetValue(entry.Name, out var other))
            {
                context.Error(DiagnosticCodes.InvalidSniEntry, where,
                    $"{entry.Name} and {other.Name} differ only in letter case; postmap folds keys to lower case, so one would hide the other. Keep one.",
                    entry.Span);
            }
            else
            {
                folded[entry.Name] = entry;
            }

            if (entry.Files.IsEmpty)
            {
                context.Error(DiagnosticCodes.InvalidSniEntry, where,
                    $"The SNI entry {entry.Name} lists no files; list the private key file, then the certificate chain file (as for smtpd_tls_chain_files).",
                    entry.FilesSpan ?? entry.Span);
            }

            foreach (var file in entry.Files)
            {
                if (file.Length == 0 || file.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == ','))
                {
                    context.Error(DiagnosticCodes.InvalidSniEntry, where,
                        $"'{PostfixText.Printable(file)}' cannot be an SNI table file: the table's values are split at white space and commas. Rename the file or use a link without spaces.",
                        entry.FilesSpan ?? entry.Span);
                }
                else if (!file.StartsWith('/'))
                {
                    context.Error(DiagnosticCodes.InvalidSniEntry, where,
                        $"{file} is a relative path: postmap -F would read it relative to the folder it runs in. Write the absolute path.",
                        entry.FilesSpan ?? entry.Span);
                }
            }
        }
    }
}
