using PostfixConfig.Rendering;

namespace PostfixConfig.IntegrationTests.Support;

/// <summary>Renders a configuration with the library, failing the test on any error diagnostic.</summary>
internal static class Render
{
    /// <summary>A configuration for the installed Postfix release, which is the one the test starts.</summary>
    public static TlsConfiguration ForInstalledPostfix() => new() { PostfixVersion = LiveEnvironment.InstalledVersion };

    public static RenderedConfiguration Files(TlsConfiguration config)
    {
        var rendered = PostfixTls.Render(config);
        Assert.True(!rendered.HasErrors && rendered.Value is not null,
            "postfix-config refused the configuration:\n" + string.Join('\n', rendered.Diagnostics));
        return rendered.Value;
    }
}
