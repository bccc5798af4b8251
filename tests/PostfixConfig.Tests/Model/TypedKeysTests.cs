using System.Reflection;
using PostfixConfig.Catalog;
using PostfixConfig.KeyGen;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Model;

/// <summary>
/// The typed keys (<see cref="ServerTls"/>, <see cref="ClientTls"/>, ...) are generated from the
/// catalog into src/PostfixConfig/Model/TlsParameters.Generated.cs by tools/PostfixConfig.KeyGen
/// (<c>dotnet run --project tools/PostfixConfig.KeyGen</c>); this test runs the same generator and
/// fails when the committed file differs (UPDATE_GOLDEN=1 also rewrites it; rebuild afterwards).
/// </summary>
public class TypedKeysTests
{
    private static string GeneratedPath => Path.Combine(RepoPaths.Root, TypedKeyGenerator.RelativePath);

    [Fact]
    public void GeneratedKeys_MatchTheCatalog() => Golden.Match(GeneratedPath, TypedKeyGenerator.Generate(ParameterCatalog.Default));

    [Fact]
    public void EveryCatalogParameter_HasExactlyOneTypedKey()
    {
        var keys = typeof(ServerTls).Assembly.GetTypes()
            .Where(t => t.IsClass && t.IsAbstract && t.IsSealed && t.IsPublic)
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Static))
            .Where(p => p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() == typeof(TlsParameter<>))
            .Select(p => (string)p.PropertyType.GetProperty("Name")!.GetValue(p.GetValue(null))!)
            .ToList();
        Assert.Equal(ParameterCatalog.Default.Parameters.Select(p => p.Name).Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TypedKeys_RoundTripTheirValues()
    {
        var c = new TlsConfiguration()
            .Set(ServerTls.SecurityLevel, ServerSecurityLevel.Encrypt)
            .Set(ClientTls.SecurityLevel, ClientSecurityLevel.DaneOnly)
            .Set(ClientTls.SessionCacheTimeout, TimeSpan.FromHours(1))
            .Set(ServerTls.AuthOnly, true)
            .Set(ServerTls.Loglevel, 2)
            .Set(ServerTls.MandatoryCiphers, CipherGrade.High)
            .Set(ServerTls.Protocols, [">=TLSv1.2"]);
        Assert.Equal("encrypt", c.Main["smtpd_tls_security_level"].Text);
        Assert.Equal("dane-only", c.Main["smtp_tls_security_level"].Text);
        Assert.Equal("1h", c.Main["smtp_tls_session_cache_timeout"].Text);
        Assert.Equal("yes", c.Main["smtpd_tls_auth_only"].Text);
        Assert.Equal("2", c.Main["smtpd_tls_loglevel"].Text);
        Assert.Equal("high", c.Main["smtpd_tls_mandatory_ciphers"].Text);
        Assert.Equal(ClientSecurityLevel.DaneOnly, c.Get(ClientTls.SecurityLevel));
        Assert.Equal(TimeSpan.FromHours(1), c.Get(ClientTls.SessionCacheTimeout));
        Assert.True(c.Get(ServerTls.AuthOnly));
        Assert.Equal(CipherGrade.High, c.Get(ServerTls.MandatoryCiphers));

        var referenced = new TlsConfiguration().Set("smtpd_tls_loglevel", "$smtp_tls_loglevel");
        Assert.Throws<FormatException>(() => referenced.Get(ServerTls.Loglevel));
    }
}
