using PostfixConfig.Catalog;

namespace PostfixConfig.Tests.Catalog;

/// <summary>Every catalog entry is complete: kind, default, release, description, and a release for every enumeration word.</summary>
public class CatalogConventionTests
{
    private static ParameterCatalog Catalog => ParameterCatalog.Default;

    [Fact]
    public void EveryParameter_HasReleaseKindDefaultAndDescription()
    {
        Assert.True(Catalog.Parameters.Length > 250, $"only {Catalog.Parameters.Length} parameters");
        foreach (var p in Catalog.Parameters)
        {
            Assert.True(Enum.IsDefined(p.Kind), p.Name);
            Assert.NotNull(p.InitialDefault);
            Assert.True(p.Since.Points.Length > 0, p.Name);
            Assert.True(p.Description.Length >= 15 && !p.Description.Contains('\n', StringComparison.Ordinal), $"{p.Name}: description '{p.Description}'");
            Assert.True(p.Since.First >= Catalog.Releases.Oldest, $"{p.Name} since {p.Since}");
        }
    }

    [Fact]
    public void EnumerationParameters_ListTheirWords_EachWithARelease()
    {
        foreach (var p in Catalog.Parameters.Where(p => p.Kind is ParameterKind.Enum or ParameterKind.CipherGrade or ParameterKind.Digest))
        {
            Assert.NotEmpty(p.Values);
            foreach (var v in p.Values)
            {
                Assert.False(string.IsNullOrWhiteSpace(v.Value), p.Name);
                Assert.True(v.Since.First >= p.Since.First, $"{p.Name}: {v.Value} since {v.Since} is before the parameter ({p.Since})");
            }
        }
    }

    [Fact]
    public void Parameters_AreSortedAndUnique()
    {
        var names = Catalog.Parameters.Select(p => p.Name).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Replacements_NameCatalogParameters()
    {
        foreach (var p in Catalog.Parameters)
        {
            foreach (var r in p.Replacements)
            {
                Assert.True(Catalog.IsKnownName(r), $"{p.Name}: replacement {r} is not a known parameter");
            }
        }
    }

    [Fact]
    public void TimeParameters_HaveUnit_IntegerRangesAreOrdered()
    {
        foreach (var p in Catalog.Parameters)
        {
            Assert.Equal(p.Kind == ParameterKind.Time, p.Unit is not null);
            if (p.Range is { } r)
            {
                Assert.Equal(ParameterKind.Integer, p.Kind);
                Assert.True(r.Min <= r.Max);
            }
        }
    }

    [Fact]
    public void Releases_CoverEveryLineFrom22To312()
    {
        var lines = Catalog.Releases.Lines.Select(v => v.ToString()).ToList();
        Assert.Equal(
            ["2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "2.8", "2.9", "2.10", "2.11", "3.0", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12"],
            lines);
        Assert.Equal(PostfixVersion.Parse("3.11.6"), Catalog.Releases.NewestStable);
        Assert.True(Catalog.Releases.IsProvisional(PostfixVersion.Parse("3.12")));
    }
}
