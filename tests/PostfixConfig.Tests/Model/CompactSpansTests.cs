using System.Collections.Immutable;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Tests.Model;

/// <summary>Entries keep their source positions in a compact form; the public view must not change.</summary>
public class CompactSpansTests
{
    [Fact]
    public void Spans_SetThenRead_GivesTheSameDictionary()
    {
        var spans = ImmutableDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, SourceSpan>
        {
            [""] = new("a.yaml", 3, 3),
            ["level"] = new("b.yaml", 4, 12), // another file than the key
            ["match"] = new("a.yaml", 5, 12),
            ["tafile"] = new(null, 6, 1),
        });
        var entry = new TlsPolicyEntry("example.com", "secure") { Spans = spans };
        Assert.Equal(spans.OrderBy(p => p.Key, StringComparer.Ordinal), entry.Spans.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(new SourceSpan("b.yaml", 4, 12), entry.SpanOf("level"));
        Assert.Equal(new SourceSpan("a.yaml", 3, 3), entry.SpanOf("servername")); // not recorded: the key's position
    }

    [Fact]
    public void Spans_NoneSet_IsEmptyAndSpanOfIsNull()
    {
        var entry = new TlsPolicyEntry("example.com", "may");
        Assert.Empty(entry.Spans);
        Assert.Null(entry.SpanOf("level"));
    }

    [Fact]
    public void Equals_DifferentSpans_StillEqual()
    {
        var a = new TlsPolicyEntry("example.com", "may") { Spans = ImmutableDictionary<string, SourceSpan>.Empty.Add("", new SourceSpan("a", 1, 1)) };
        Assert.Equal(new TlsPolicyEntry("example.com", "may"), a);
    }

    [Fact]
    public void Add_ToATable_LeavesTheOriginalUnchanged()
    {
        var one = TlsPolicyTable.Create([new TlsPolicyEntry("a.example", "may")]);
        var two = one.Add(new TlsPolicyEntry("b.example", "encrypt"));
        var replaced = two.Add(new TlsPolicyEntry("a.example", "secure"));
        Assert.Null(one.Find("b.example"));
        Assert.Equal("encrypt", two.Find("b.example")!.Level);
        Assert.Equal("may", two.Find("a.example")!.Level);
        Assert.Equal("secure", replaced.Find("a.example")!.Level);
        Assert.Equal(["a.example", "b.example"], replaced.Select(e => e.Destination));
    }
}
