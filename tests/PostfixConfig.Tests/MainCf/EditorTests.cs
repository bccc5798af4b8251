using System.Text;
using CsCheck;
using PostfixConfig.MainCf;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.MainCf;

/// <summary>
/// The editor against the real <c>postconf -e</c>: on generated files (LF line ends, final newline)
/// replacing parameters gives the same bytes as postconf; an unchanged document writes back the same
/// bytes; appended parameters come after the tool's comment.
/// </summary>
public class EditorTests
{
    private static readonly Gen<string> NewValue = Gen.Select(Gen.OneOf("encrypt", "hash:/etc/postfix/new", "a, b", "$myhostname x", "{ x }", "#not comment"), Gen.Int[0, 999],
        (v, n) => v + " n" + n.ToString(System.Globalization.CultureInfo.InvariantCulture));

    [Trait("Category", "Slow")]
    [PostfixFact]
    public void Set_ExistingParameters_SameBytesAsPostconfE()
    {
        var lines = MainCfGenerators.Lines.Where(l => l.Length > 0);
        Gen.Select(lines, Gen.Int[0, 1000], NewValue.Array[1, 3]).Sample((l, pick, values) =>
        {
            var text = string.Join("\n", l) + "\n";
            var (doc, _) = MainCfDocument.Parse(text, "main.cf");
            var names = doc.Parameters.Select(p => p.Name).Where(n => !n.Contains('.', StringComparison.Ordinal)).Distinct().ToList();
            if (names.Count == 0)
            {
                return;
            }

            var edits = values.Select((v, i) => (Name: names[(pick + i) % names.Count], Value: v)).DistinctBy(e => e.Name).ToList();
            var editor = new MainCfEditor(doc);
            foreach (var (name, value) in edits)
            {
                Assert.True(editor.Set(name, value));
            }

            var mine = editor.Apply("unused", _ => 0);
            using var dir = Postconf.Folder(text);
            var r = PostfixTools.Run(PostfixTools.Postconf, ["-c", dir.Path, "-e", .. edits.Select(e => $"{e.Name}={e.Value}")]);
            Assert.True(r.ExitCode == 0, r.StdErr);
            Assert.Equal(File.ReadAllText(dir.File("main.cf")), mine);
        }, iter: 150, threads: 1);
    }

    [Fact]
    public void Apply_NoEditsOrSameValue_BytesIdentical()
    {
        MainCfGenerators.Text(MainCfGenerators.Lines).Sample(text =>
        {
            var (doc, _) = MainCfDocument.Parse(text, "main.cf");
            var editor = new MainCfEditor(doc);
            foreach (var p in doc.Parameters.GroupBy(p => p.Name).Where(g => g.Select(p => p.Value).Distinct().Count() == 1))
            {
                Assert.False(editor.Set(p.Key, p.First().Value));
            }

            Assert.Equal(text, editor.Apply("unused", _ => 0));
        }, iter: 500);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void RoundTrip_AnyBytes_WriteBackIdentical()
    {
        MainCfGenerators.AnyText.Sample(text =>
        {
            using var dir = new TempDir();
            var path = dir.File("main.cf");
            var bytes = new UTF8Encoding(false).GetBytes(text);
            File.WriteAllBytes(path, bytes);
            var r = PostfixTls.ReadMainCfFile(path);
            var doc = r.Value ?? MainCfDocument.Parse(text, path).Document;
            Assert.Equal(bytes, doc.ToBytes());
            using var writer = new StringWriter();
            doc.WriteTo(writer);
            Assert.Equal(text, writer.ToString());
            var lines = doc.Lines;
            Assert.Equal(text.Length, lines.Sum(l => l.End - l.Offset));
        }, iter: 500);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void RoundTrip_Latin1Bytes_WriteBackIdentical()
    {
        Gen.Byte.Array[0, 200].Sample(bytes =>
        {
            using var dir = new TempDir();
            var path = dir.File("main.cf");
            File.WriteAllBytes(path, bytes);
            var (text, utf8) = MainCfDocument.Decode(bytes);
            Assert.Equal(bytes, MainCfDocument.Parse(text, path, utf8).Document.ToBytes());
        }, iter: 500);
    }

    [Fact]
    public void Apply_NewParameters_AppendedAfterCommentGroupedAndKeepingCrlfAndMissingNewline()
    {
        var (doc, _) = MainCfDocument.Parse("# top\r\nbiff = no", "main.cf");
        var editor = new MainCfEditor(doc);
        editor.Set("smtp_tls_security_level", "may");
        editor.Set("myhostname", "mail.example.com");
        editor.Set("smtpd_tls_security_level", "may");
        var result = editor.Apply("Added by postfix-config merge", n => n.StartsWith("smtpd_", StringComparison.Ordinal) ? 0 : n.StartsWith("smtp_", StringComparison.Ordinal) ? 1 : 2);
        Assert.Equal(
            "# top\r\nbiff = no\r\n\r\n# Added by postfix-config merge\r\nsmtpd_tls_security_level = may\r\nsmtp_tls_security_level = may\r\nmyhostname = mail.example.com\r\n",
            result);
    }

    [Fact]
    public void CommentOut_ContinuedDefinition_PrefixesEveryLineKeepsInnerCommentsAndInserts()
    {
        var (doc, _) = MainCfDocument.Parse("a = 1\nsmtpd_use_tls = \n  yes\n# inner\n\t\nb = 2\n", "main.cf");
        var editor = new MainCfEditor(doc);
        editor.CommentOut("smtpd_use_tls", ["note"], [("smtpd_tls_security_level", "may")]);
        Assert.Equal("a = 1\n# note\n#smtpd_use_tls = \n#  yes\nsmtpd_tls_security_level = may\n# inner\n\t\nb = 2\n", editor.Apply("x", _ => 0));
    }
}
