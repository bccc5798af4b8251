using System.Buffers.Binary;
using System.IO.Compression;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using System.Xml.Linq;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Packaging;

/// <summary>
/// Issue 26: the tool people install is the native program that the benchmarks time. The top-level
/// package points to a native AOT package per runtime identifier and to the framework-dependent
/// <c>any</c> package for every other platform; <c>dotnet tool install</c> on this machine installs
/// the native one, and each package renders the example as the code under test does.
/// </summary>
public partial class PackageTests
{
    internal const ushort ElfMachineX64 = 62;
    internal const ushort ElfMachineAarch64 = 183;

    private static readonly (string Rid, ushort Machine)[] NativeRids = [("linux-x64", ElfMachineX64), ("linux-arm64", ElfMachineAarch64)];

    [Fact]
    public void ToolPackages_PointToANativePackagePerRid_AndTheAnyFallback()
    {
        using var top = ZipFile.OpenRead(packed.Package("PostfixConfig.Cli"));
        // A pointer only: no program in it.
        Assert.Equal(["tools/any/any/DotnetToolSettings.xml"], top.Entries.Select(e => e.FullName).Where(n => n.StartsWith("tools/", StringComparison.Ordinal)));
        var pointers = XDocument.Parse(Read(top, "tools/any/any/DotnetToolSettings.xml")).Descendants("RuntimeIdentifierPackage")
            .ToDictionary(p => p.Attribute("RuntimeIdentifier")!.Value, p => p.Attribute("Id")!.Value, StringComparer.Ordinal);
        Assert.Equal(
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["linux-x64"] = "PostfixConfig.Cli.linux-x64",
                ["linux-arm64"] = "PostfixConfig.Cli.linux-arm64",
                ["any"] = "PostfixConfig.Cli.any",
            },
            pointers);

        foreach (var (rid, machine) in NativeRids)
        {
            using var nupkg = ZipFile.OpenRead(packed.Package($"PostfixConfig.Cli.{rid}"));
            AssertRidPackageMetadata(nupkg, $"PostfixConfig.Cli.{rid}");
            // The executable and its probe settings; no assemblies, no runtime configuration, no symbols.
            Assert.Equal(
                [$"tools/any/{rid}/DotnetToolSettings.xml", $"tools/any/{rid}/openssl-probe.cnf", $"tools/any/{rid}/postfix-config"],
                nupkg.Entries.Select(e => e.FullName).Where(n => n.StartsWith("tools/", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
            var command = XDocument.Parse(Read(nupkg, $"tools/any/{rid}/DotnetToolSettings.xml")).Descendants("Command").Single();
            Assert.Equal("postfix-config postfix-config executable", $"{command.Attribute("Name")?.Value} {command.Attribute("EntryPoint")?.Value} {command.Attribute("Runner")?.Value}");
            Assert.Equal(machine, ElfMachine(ReadBytes(nupkg, $"tools/any/{rid}/postfix-config")));
        }

        using var any = ZipFile.OpenRead(packed.Package("PostfixConfig.Cli.any"));
        AssertRidPackageMetadata(any, "PostfixConfig.Cli.any");
        var anyCommand = XDocument.Parse(Read(any, "tools/net10.0/any/DotnetToolSettings.xml")).Descendants("Command").Single();
        Assert.Equal("postfix-config.dll dotnet", $"{anyCommand.Attribute("EntryPoint")?.Value} {anyCommand.Attribute("Runner")?.Value}");
        // Portable IL without ReadyToRun code: that code would be for one OS and architecture, and the
        // any package is installed only where no native package fits (README, "Performance").
        foreach (var dll in new[] { "postfix-config.dll", "PostfixConfig.dll" })
        {
            using var pe = new PEReader(new MemoryStream(ReadBytes(any, $"tools/net10.0/any/{dll}")));
            Assert.True(pe.HasMetadata, dll);
            Assert.Equal(CorFlags.ILOnly, pe.PEHeaders.CorHeader!.Flags & CorFlags.ILOnly);
            Assert.Equal(0, pe.PEHeaders.CorHeader.ManagedNativeHeaderDirectory.Size);
        }
    }

    /// <summary>
    /// What <c>dotnet tool install</c> gives on this machine is the native program: the command is the
    /// executable of this machine's RID package, with no assembly or runtime configuration beside it,
    /// and running it loads neither the .NET host nor the runtime (the dynamic loader's own report).
    /// </summary>
    [Fact]
    public void InstalledTool_IsTheNativeProgram_LoadingNoDotnetHostOrRuntime()
    {
        var rid = "linux-" + RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();
        var machine = NativeRids.Single(r => r.Rid == rid).Machine;
        var tools = Path.Combine(packed.Work, "tools-native");
        packed.Dotnet(packed.Work, isolated: true, "tool", "install", "PostfixConfig.Cli", "--version", packed.Version, "--tool-path", tools, "--add-source", packed.Feed);
        var command = Path.Combine(tools, "postfix-config");

        var program = new FileInfo(command).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? command;
        Assert.EndsWith($"/postfixconfig.cli.{rid}/{packed.Version}/tools/any/{rid}/postfix-config", program, StringComparison.Ordinal);
        Assert.Equal(["DotnetToolSettings.xml", "openssl-probe.cnf", "postfix-config"], Directory.GetFiles(Path.GetDirectoryName(program)!).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(machine, ElfMachine(File.ReadAllBytes(program)));

        var run = LoaderReport(command, ["--version"], packed.Work);
        Assert.Equal(packed.Version + "\n", run.StdOut);
        Assert.Contains("libc.so.6", run.StdErr, StringComparison.Ordinal); // the loader did report
        Assert.DoesNotContain("libhostfxr", run.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("libcoreclr", run.StdErr, StringComparison.Ordinal);

        AssertRendersAsTheCode(command, [], "native");
    }

    /// <summary>
    /// Issue 24 asks that the DNS client work in the native build: the installed native program asks the
    /// fake resolver on loopback with the DO bit and reads the AD bit (status --check-dns says yes for a
    /// validated answer and NO for one without AD), and the trimmed build keeps the DNS wire code.
    /// </summary>
    [Fact]
    public void InstalledNativeTool_AsksDnsWithTheDoBit_AndReadsTheAdBit()
    {
        var tools = Path.Combine(packed.Work, "tools-native-dns");
        packed.Dotnet(packed.Work, isolated: true, "tool", "install", "PostfixConfig.Cli", "--version", packed.Version, "--tool-path", tools, "--add-source", packed.Feed);
        var command = Path.Combine(tools, "postfix-config");
        var mainCf = Path.Combine(packed.Work, "dns-main.cf");
        File.WriteAllText(mainCf, "smtp_tls_security_level = dane\nsmtp_dns_support_level = dnssec\n");

        foreach (var (validated, expected) in new[] { (true, "DNSSEC validation: yes."), (false, "DNSSEC validation: NO.") })
        {
            var answer = validated ? Dns.FakeAnswer.Secure(Dns.FakeAnswer.Ns("a.root-servers.test")) : Dns.FakeAnswer.Insecure(Dns.FakeAnswer.Ns("a.root-servers.test"));
            using var server = new Dns.FakeDnsServer((_, _, _) => answer);
            var text = packed.Run(command, packed.Work, isolated: true, "status", mainCf, "--postfix-version", "3.7", "--check-dns", "--resolver", server.Address, "--timeout", "5");
            Assert.Contains(expected, text, StringComparison.Ordinal);
            var query = Assert.Single(server.Queries);
            Assert.Equal((".", (ushort)2, true, false), query);
        }
    }

    /// <summary>The fallback runs on the .NET runtime (the same loader report shows it) and renders the same files.</summary>
    [Fact]
    public void AnyPackage_RunsOnTheDotnetRuntime_AndRendersAsTheCode()
    {
        var dir = Path.Combine(packed.Work, "any-package");
        ZipFile.ExtractToDirectory(packed.Package("PostfixConfig.Cli.any"), dir);
        var dll = Path.Combine(dir, "tools", "net10.0", "any", "postfix-config.dll");

        var run = LoaderReport("dotnet", [dll, "--version"], packed.Work);
        Assert.Equal(packed.Version + "\n", run.StdOut);
        Assert.Contains("libcoreclr.so", run.StdErr, StringComparison.Ordinal);

        AssertRendersAsTheCode("dotnet", [dll], "any");
    }

    /// <summary>The cross-compiled linux-arm64 program, run under user-mode emulation: its version and the same files.</summary>
    [Arm64EmulatorFact]
    public void Arm64Package_RunsUnderEmulation_AndRendersAsTheCode()
    {
        var dir = Path.Combine(packed.Work, "arm64-package");
        ZipFile.ExtractToDirectory(packed.Package("PostfixConfig.Cli.linux-arm64"), dir);
        var program = Path.Combine(dir, "tools", "any", "linux-arm64", "postfix-config");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute); // a zip keeps no mode
        }

        string[] emulate = ["-L", Arm64EmulatorFactAttribute.SysRoot, program];
        Assert.Equal(packed.Version + "\n", packed.Run(Arm64EmulatorFactAttribute.Emulator, packed.Work, isolated: true, [.. emulate, "--version"]));
        AssertRendersAsTheCode(Arm64EmulatorFactAttribute.Emulator, emulate, "arm64");
    }

    /// <summary>Renders examples/newsletter.yaml with the program and with the CLI in this process: the same files, byte for byte.</summary>
    private void AssertRendersAsTheCode(string file, string[] prefix, string name)
    {
        var output = Path.Combine(packed.Work, $"render-{name}");
        packed.Run(file, RepoPaths.Root, isolated: true, [.. prefix, "render", "examples/newsletter.yaml", "--out", output]);
        using var expected = new TempDir();
        var inProcess = CliRunner.Run("render", Path.Combine(RepoPaths.Examples, "newsletter.yaml"), "--out", expected.Path);
        Assert.Equal(0, inProcess.ExitCode);
        var names = Directory.GetFiles(expected.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["main.cf", "tls_policy"], names);
        Assert.Equal(names, Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.All(names, n => Assert.Equal(File.ReadAllText(Path.Combine(expected.Path, n!)), File.ReadAllText(Path.Combine(output, n!))));
    }

    /// <summary>Runs a program with the dynamic loader reporting every shared object it loads (LD_DEBUG=files, on standard error).</summary>
    internal static PostfixTools.ProcessResult LoaderReport(string file, string[] args, string workingDirectory)
    {
        var r = ProcessRunner.Run(file, args, env => env["LD_DEBUG"] = "files", workingDirectory);
        Assert.True(r.ExitCode == 0, $"{file} exited {r.ExitCode}: {r.StdErr}");
        return r;
    }

    private static void AssertRidPackageMetadata(ZipArchive nupkg, string id)
    {
        var meta = XDocument.Parse(Read(nupkg, id + ".nuspec")).Root!;
        var ns = meta.Name.Namespace;
        Assert.Equal(id, meta.Descendants(ns + "id").Single().Value);
        Assert.Equal("DotnetToolRidPackage", meta.Descendants(ns + "packageType").Single().Attribute("name")!.Value);
    }

    /// <summary>e_machine of a 64-bit little-endian ELF file; fails on anything else.</summary>
    internal static ushort ElfMachine(byte[] file)
    {
        Assert.True(file.Length > 64 && file[0] == 0x7F && file[1] == (byte)'E' && file[2] == (byte)'L' && file[3] == (byte)'F', "not an ELF file");
        Assert.Equal((byte)2, file[4]); // ELFCLASS64
        Assert.Equal((byte)1, file[5]); // little-endian
        return BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(18, 2));
    }
}

/// <summary>
/// A test that runs the linux-arm64 program under qemu-aarch64 with Debian's aarch64 C library
/// (packages qemu-user and libc6-dev-arm64-cross, which .ci/run installs): skipped where they are
/// missing, but never when <c>CI</c> is set (then the test fails).
/// </summary>
public sealed class Arm64EmulatorFactAttribute : FactAttribute
{
    public const string Emulator = "/usr/bin/qemu-aarch64";
    public const string SysRoot = "/usr/aarch64-linux-gnu";

    public Arm64EmulatorFactAttribute()
    {
        if (!PostfixTools.IsCi && !(File.Exists(Emulator) && File.Exists(Path.Combine(SysRoot, "lib", "ld-linux-aarch64.so.1"))))
        {
            Skip = "qemu-aarch64 or the aarch64 C library is missing (apt-get install qemu-user libc6-dev-arm64-cross); with CI set this test fails instead of skipping.";
        }
    }
}
