using System.Runtime.InteropServices;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Packaging;

/// <summary>
/// Issue 26: <c>dotnet publish src/PostfixConfig.Cli -c Release -o DIR</c> (docs/contributing.md, the
/// benchmarks) still gives the native program. The command is run as written, with one addition:
/// <c>--artifacts-path</c> in a temporary folder, so that the tree's own obj and bin folders (which
/// this test host may be running from) are left alone. One native AOT compilation, a few minutes.
/// </summary>
[Trait("Category", "Slow")]
public sealed class PublishTests : IDisposable
{
    private static readonly string[] RenderedFiles = ["main.cf", "tls_policy"];
    private readonly TempDir _dir = new();

    [Fact]
    public void Publish_GivesTheNativeProgram_WithThePropsVersion_LoadingNoRuntime()
    {
        var output = _dir.File("DIR");
        PackedPackages.RunProcess(PackedPackages.PackTimeout, "dotnet", RepoPaths.Root, null,
            "publish", "src/PostfixConfig.Cli", "-c", "Release", "-o", output, "--artifacts-path", _dir.File("artifacts"));

        var program = Path.Combine(output, "postfix-config");
        var machine = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? PackageTests.ElfMachineAarch64 : PackageTests.ElfMachineX64;
        Assert.Equal(machine, PackageTests.ElfMachine(File.ReadAllBytes(program)));
        // A framework-dependent publish would put these beside it.
        var files = Directory.GetFiles(output).Select(Path.GetFileName).ToList();
        Assert.DoesNotContain(files, f => f!.EndsWith(".dll", StringComparison.Ordinal) || f.EndsWith(".runtimeconfig.json", StringComparison.Ordinal) || f.EndsWith(".deps.json", StringComparison.Ordinal));
        Assert.Contains("openssl-probe.cnf", files);

        var run = PackageTests.LoaderReport(program, ["--version"], _dir.Path);
        Assert.Equal(PackedPackages.PrefixFromProps() + "\n", run.StdOut); // no suffix: the one version of Directory.Build.props
        Assert.Contains("libc.so.6", run.StdErr, StringComparison.Ordinal); // the loader did report
        Assert.DoesNotContain("libhostfxr", run.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("libcoreclr", run.StdErr, StringComparison.Ordinal);

        // And it works: the example renders to the same files as the CLI in this process.
        var rendered = _dir.File("rendered");
        PackedPackages.RunProcess(program, RepoPaths.Root, null, "render", "examples/newsletter.yaml", "--out", rendered);
        var expected = _dir.File("expected");
        Assert.Equal(0, CliRunner.Run("render", Path.Combine(RepoPaths.Examples, "newsletter.yaml"), "--out", expected).ExitCode);
        Assert.All(RenderedFiles, n => Assert.Equal(File.ReadAllText(Path.Combine(expected, n)), File.ReadAllText(Path.Combine(rendered, n))));
    }

    public void Dispose() => _dir.Dispose();
}
