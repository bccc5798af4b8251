using System.Diagnostics;
using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;
using System.Xml.Linq;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Packaging;

/// <summary>
/// Packs both projects once (<c>dotnet pack</c> of the working tree, Release, a version suffix of its
/// own so that no cached package of the same version can stand in, intermediate files under a
/// temporary <c>--artifacts-path</c> so the tree's own build is left alone) into a local feed.
/// Installs and restores then use a package folder of their own (NUGET_PACKAGES), the local feed as
/// the only source and the machine's package folder as a read-only fallback for the dependencies,
/// so nothing is fetched and nothing stale is used. The tool's one pack writes its top-level package
/// and the per-RID ones (native linux-x64 and linux-arm64, framework-dependent any): two native AOT
/// compilations, several minutes on two cores, hence the long timeout and the one pack per run.
/// </summary>
public sealed class PackedPackages : IDisposable
{
    private readonly TempDir _dir = new();

    public PackedPackages()
    {
        Version = $"{PrefixFromProps()}-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        Feed = Path.Combine(_dir.Path, "feed");
        Work = Path.Combine(_dir.Path, "work");
        Packages = Path.Combine(_dir.Path, "packages");
        Directory.CreateDirectory(Work);
        foreach (var project in new[] { "src/PostfixConfig.Cli/PostfixConfig.Cli.csproj", "src/PostfixConfig/PostfixConfig.csproj", "src/PostfixConfig.Testing/PostfixConfig.Testing.csproj", "src/PostfixConfig.Templates/PostfixConfig.Templates.csproj" })
        {
            RunProcess(PackTimeout, "dotnet", RepoPaths.Root, null, "pack", project, "-c", "Release", "--artifacts-path", Path.Combine(_dir.Path, "artifacts"), "-o", Feed,
                $"-p:VersionSuffix={Version[(Version.IndexOf('-', StringComparison.Ordinal) + 1)..]}", "-p:ContinuousIntegrationBuild=true");
        }

        // The restores below find nuget.config here (Work and everything under it).
        File.WriteAllText(Path.Combine(Work, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local-feed" value="{Feed}" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="machine" value="{MachinePackages()}" />
              </fallbackPackageFolders>
            </configuration>
            """);
    }

    /// <summary>The version both packages carry: VersionPrefix from Directory.Build.props with a suffix unique to this run.</summary>
    public string Version { get; }

    /// <summary>How long one pack may take: the tool's includes two native AOT compilations.</summary>
    public static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(45);

    /// <summary>The local feed: the library (.nupkg, .snupkg), the tool's top-level package, its native linux-x64 and linux-arm64 packages and its any package (.nupkg, .snupkg).</summary>
    public string Feed { get; }

    /// <summary>A folder outside the repository, with the nuget.config described above.</summary>
    public string Work { get; }

    /// <summary>The package folder of this run's restores (NUGET_PACKAGES).</summary>
    public string Packages { get; }

    public static string PrefixFromProps() =>
        System.Text.RegularExpressions.Regex.Match(File.ReadAllText(Path.Combine(RepoPaths.Root, "Directory.Build.props")), "<VersionPrefix>([^<]+)</VersionPrefix>").Groups[1].Value;

    public string Package(string id, string extension = "nupkg") => Path.Combine(Feed, $"{id}.{Version}.{extension}");

    /// <summary>Runs dotnet; fails the test with its output when it exits non-zero.</summary>
    public string Dotnet(string workingDirectory, bool isolated, params string[] args) => Run("dotnet", workingDirectory, isolated, args);

    public string Run(string file, string workingDirectory, bool isolated, params string[] args) =>
        RunProcess(file, workingDirectory, isolated ? Packages : null, args);

    /// <summary>Runs a program without the test host's MSBuild settings; fails the test when it exits non-zero.</summary>
    public static string RunProcess(string file, string workingDirectory, string? nugetPackages, params string[] args) =>
        RunProcess(TimeSpan.FromSeconds(600), file, workingDirectory, nugetPackages, args);

    /// <summary>As above, bounded by <paramref name="timeout"/>.</summary>
    public static string RunProcess(TimeSpan timeout, string file, string workingDirectory, string? nugetPackages, params string[] args)
    {
        var r = ProcessRunner.Run(file, args, env =>
        {
            // The test host's MSBuild and test-platform settings must not leak into these builds.
            foreach (var key in env.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
            {
                env.Remove(key);
            }

            env["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            env["DOTNET_NOLOGO"] = "1";
            env["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
            if (nugetPackages is not null)
            {
                env["NUGET_PACKAGES"] = nugetPackages;
            }
        }, workingDirectory, timeout);
        Assert.True(r.ExitCode == 0, $"{file} {string.Join(' ', args)} exited {r.ExitCode}:\n{r.StdOut}\n{r.StdErr}");
        return r.StdOut;
    }

    private static string MachinePackages()
    {
        var configured = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        return string.IsNullOrEmpty(configured)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages")
            : configured;
    }

    public void Dispose() => _dir.Dispose();
}

/// <summary>What the packages hold, and that they work as a user gets them: the tool installed from the feed, the library in a consumer project.</summary>
[Trait("Category", "Slow")]
[Collection(PackedPackagesGroup.Name)]
public partial class PackageTests(PackedPackages packed)
{
    private static readonly XNamespace Nuspec = "http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd";

    [Fact]
    public void LibraryPackage_HasDocsReadmeSchemaLicenceDependencies_AndSymbolsWithSources()
    {
        using var nupkg = ZipFile.OpenRead(packed.Package("PostfixConfig"));
        var files = nupkg.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("lib/net10.0/PostfixConfig.dll", files);
        Assert.Contains("lib/net10.0/PostfixConfig.xml", files);
        Assert.Equal(File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md")), Read(nupkg, "README.md"));
        Assert.Equal(File.ReadAllText(Path.Combine(RepoPaths.Root, "schema", "postfix-config.schema.json")), Read(nupkg, "schema/postfix-config.schema.json"));
        Assert.Contains("<member name=\"M:PostfixConfig.PostfixTls.JsonSchema(System.Nullable{PostfixConfig.PostfixVersion})\">", Read(nupkg, "lib/net10.0/PostfixConfig.xml"), StringComparison.Ordinal);

        var meta = XDocument.Parse(Read(nupkg, "PostfixConfig.nuspec")).Root!.Element(Nuspec + "metadata")!;
        Assert.Equal("PostfixConfig", meta.Element(Nuspec + "id")!.Value);
        Assert.Equal(packed.Version, meta.Element(Nuspec + "version")!.Value);
        Assert.Equal("MIT", meta.Element(Nuspec + "license")!.Value);
        Assert.Equal("expression", meta.Element(Nuspec + "license")!.Attribute("type")!.Value);
        Assert.Equal("README.md", meta.Element(Nuspec + "readme")!.Value);
        var dependencies = meta.Descendants(Nuspec + "dependency").ToDictionary(d => d.Attribute("id")!.Value, d => d.Attribute("version")!.Value, StringComparer.Ordinal);
        var central = XDocument.Load(Path.Combine(RepoPaths.Root, "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(p => p.Attribute("Include")!.Value, p => p.Attribute("Version")!.Value, StringComparer.Ordinal);
        Assert.Equal(["FluentValidation", "Scriban.Signed", "YamlDotNet"], dependencies.Keys.Order(StringComparer.Ordinal));
        Assert.All(dependencies, d => Assert.Equal(central[d.Key], d.Value));
        if (GitHead() is { } head)
        {
            Assert.Equal(head, meta.Element(Nuspec + "repository")?.Attribute("commit")?.Value); // SourceLink's repository information
        }

        // The symbol package: a portable PDB with every source embedded, paths mapped to /_/ (a deterministic CI build).
        using var snupkg = ZipFile.OpenRead(packed.Package("PostfixConfig", "snupkg"));
        using var pdbStream = new MemoryStream();
        using (var entry = snupkg.GetEntry("lib/net10.0/PostfixConfig.pdb")!.Open())
        {
            entry.CopyTo(pdbStream);
        }

        pdbStream.Position = 0;
        using var provider = MetadataReaderProvider.FromPortablePdbStream(pdbStream);
        var pdb = provider.GetMetadataReader();
        var documents = pdb.Documents.Select(h => pdb.GetString(pdb.GetDocument(h).Name)).ToList();
        Assert.Contains("/_/src/PostfixConfig/PostfixTls.cs", documents);
        Assert.DoesNotContain(documents, d => d.StartsWith(RepoPaths.Root, StringComparison.Ordinal));
        var embedded = pdb.CustomDebugInformation
            .Select(h => pdb.GetCustomDebugInformation(h))
            .Count(c => pdb.GetGuid(c.Kind) == new Guid("0E8A571B-6926-466E-B4AD-8AB04611F5FE")); // embedded source
        Assert.True(embedded >= documents.Count(d => d.EndsWith(".cs", StringComparison.Ordinal) && !d.Contains("/obj/", StringComparison.Ordinal)), $"{embedded} embedded sources for {documents.Count} documents");

        // The library in the package is the deterministic Release build that points at that PDB.
        using var dll = new PEReader(new MemoryStream(ReadBytes(nupkg, "lib/net10.0/PostfixConfig.dll")));
        var codeView = dll.ReadCodeViewDebugDirectoryData(dll.ReadDebugDirectory().Single(d => d.Type == DebugDirectoryEntryType.CodeView));
        Assert.Equal("PostfixConfig.pdb", Path.GetFileName(codeView.Path));
        Assert.Contains(dll.ReadDebugDirectory(), d => d.Type == DebugDirectoryEntryType.Reproducible);

        // Issue 26 left the library alone: AnyCPU IL (no 32-bit flag, no ReadyToRun code), one folder for every platform, nothing per RID.
        Assert.Equal(Machine.I386, dll.PEHeaders.CoffHeader.Machine);
        Assert.Equal(CorFlags.ILOnly, dll.PEHeaders.CorHeader!.Flags & (CorFlags.ILOnly | CorFlags.Requires32Bit | CorFlags.Prefers32Bit));
        Assert.Equal(0, dll.PEHeaders.CorHeader.ManagedNativeHeaderDirectory.Size);
        Assert.DoesNotContain(files, f => f.StartsWith("runtimes/", StringComparison.Ordinal) || (f.StartsWith("lib/", StringComparison.Ordinal) && !f.StartsWith("lib/net10.0/", StringComparison.Ordinal)));
    }

    [Fact]
    public void ToolPackage_IsADotnetToolNamedPostfixConfig()
    {
        using var nupkg = ZipFile.OpenRead(packed.Package("PostfixConfig.Cli"));
        var meta = XDocument.Parse(Read(nupkg, "PostfixConfig.Cli.nuspec")).Root!;
        var ns = meta.Name.Namespace;
        Assert.Equal("DotnetTool", meta.Descendants(ns + "packageType").Single().Attribute("name")!.Value);
        Assert.Equal(packed.Version, meta.Descendants(ns + "version").Single().Value);
        Assert.Equal("MIT", meta.Descendants(ns + "license").Single().Value);
        // The top-level package names the command and points to the per-RID packages (ToolPackages_* in PackageTests.Native.cs).
        var settings = XDocument.Parse(Read(nupkg, "tools/any/any/DotnetToolSettings.xml"));
        Assert.Equal("postfix-config", settings.Descendants("Command").Single().Attribute("Name")!.Value);
        Assert.NotEmpty(settings.Descendants("RuntimeIdentifierPackage"));
        Assert.Equal(File.ReadAllText(Path.Combine(RepoPaths.Root, "schema", "postfix-config.schema.json")), Read(nupkg, "schema/postfix-config.schema.json"));
    }

    /// <summary>The README's first quick start: the tool installed from a feed renders the example, and Postfix reads the result.</summary>
    [Fact]
    public void InstalledTool_RendersTheExample_PostconfReadsIt_AndItsVersionIsThePackageVersion()
    {
        Assert.Contains("dotnet tool install -g PostfixConfig.Cli\n", Readme(), StringComparison.Ordinal);
        Assert.Contains("postfix-config render examples/newsletter.yaml --out out\n", Readme(), StringComparison.Ordinal);
        var tools = Path.Combine(packed.Work, "tools");
        packed.Dotnet(packed.Work, isolated: true, "tool", "install", "PostfixConfig.Cli", "--version", packed.Version, "--tool-path", tools, "--add-source", packed.Feed);
        var tool = Path.Combine(tools, "postfix-config");

        Assert.Equal(packed.Version + "\n", packed.Run(tool, packed.Work, isolated: true, "--version"));
        var output = Path.Combine(packed.Work, "tool-out");
        packed.Run(tool, RepoPaths.Root, isolated: true, "render", "examples/newsletter.yaml", "--out", output);
        Assert.Equal(["main.cf", "tls_policy"], Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(File.ReadAllText(Path.Combine(RepoPaths.Root, "schema", "postfix-config.schema.json")), packed.Run(tool, packed.Work, isolated: true, "schema"));
        if (PostfixTools.SkipReason is null)
        {
            AssertPostfixReads(output, "dane");
        }
    }

    /// <summary>
    /// The README's package reference: a project outside the solution references the packed library
    /// from the feed and does what a deployment program does: load, validate and render a YAML file,
    /// and build a configuration in code (the README's C# example, verbatim).
    /// </summary>
    [Fact]
    public void ConsumerProject_LoadsValidatesAndRendersWithThePackage()
    {
        Assert.Contains("dotnet add package PostfixConfig\n", Readme(), StringComparison.Ordinal);
        var project = Path.Combine(packed.Work, "consumer");
        Directory.CreateDirectory(project);
        File.WriteAllText(Path.Combine(project, "Consumer.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
            </Project>
            """);
        // The package is added the way the README says (dotnet add package), with this run's version.
        packed.Dotnet(project, isolated: true, "add", "package", "PostfixConfig", "--version", packed.Version);
        Assert.Contains($"Include=\"PostfixConfig\" Version=\"{packed.Version}\"", File.ReadAllText(Path.Combine(project, "Consumer.csproj")), StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(project, "Program.cs"), $$"""
            using PostfixConfig;

            // A deployment step: the YAML file of the host, validated, rendered into a folder.
            var loaded = PostfixTls.LoadYamlFile(args[0]);
            if (loaded.HasErrors)
            {
                foreach (var d in loaded.Diagnostics) Console.Error.WriteLine(d);
                return 1;
            }

            var diagnostics = PostfixTls.Validate(loaded.Value);
            foreach (var d in diagnostics) Console.WriteLine(d);
            var rendered = PostfixTls.Render(loaded.Value);
            if (rendered.HasErrors) return 1;
            rendered.Value.WriteTo(args[1]);

            // The README's C# example.
            var target = args[2];
            var errors = Console.Error;
            {{ReadmeSnippet()}}

            Console.WriteLine($"schema {PostfixTls.JsonSchema().Length}");
            return result.HasErrors ? 1 : 0;
            """);
        var yamlOut = Path.Combine(packed.Work, "consumer-yaml");
        var codeOut = Path.Combine(packed.Work, "consumer-code");
        var stdout = packed.Dotnet(project, isolated: true, "run", "--", Path.Combine(RepoPaths.Examples, "submission-server.yaml"), yamlOut, codeOut);
        Assert.Contains("schema ", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("error", stdout, StringComparison.Ordinal);
        // The package came from the feed into this run's package folder, not from the machine's.
        Assert.True(Directory.Exists(Path.Combine(packed.Packages, "postfixconfig", packed.Version)));
        Assert.Contains("smtpd_tls_auth_only = yes\n", File.ReadAllText(Path.Combine(yamlOut, "main.cf")), StringComparison.Ordinal);
        if (PostfixTools.SkipReason is null)
        {
            AssertPostfixReads(yamlOut, "may");
            AssertPostfixReads(codeOut, "dane");
        }
    }

    private static void AssertPostfixReads(string dir, string clientLevel)
    {
        File.WriteAllText(Path.Combine(dir, "master.cf"), string.Empty);
        PostfixTools.AgeFiles(dir);
        var (values, stderr) = PostfixTools.PostconfN(dir);
        Assert.Equal(string.Empty, stderr);
        Assert.Equal(clientLevel, values["smtp_tls_security_level"]);
    }

    /// <summary>The README's C# example, as ReadmeExampleTests holds it (and checks README shows it).</summary>
    private static string ReadmeSnippet()
    {
        var source = File.ReadAllLines(Path.Combine(RepoPaths.TestProject, "ReadmeExampleTests.cs"));
        var begin = Array.FindIndex(source, l => l.Trim() == "// README:begin");
        var end = Array.FindIndex(source, l => l.Trim() == "// README:end");
        return string.Join("\n", source[(begin + 1)..end]);
    }

    private static string Readme() => File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));

    private static string? GitHead()
    {
        try
        {
            var psi = new ProcessStartInfo("git", ["-C", RepoPaths.Root, "rev-parse", "HEAD"]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            var head = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return p.ExitCode == 0 && head.Length == 40 ? head : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no git: a source archive has no repository information to check
        }
    }

    private static string Read(ZipArchive zip, string name) => Encoding.UTF8.GetString(ReadBytes(zip, name)).TrimStart('\uFEFF');

    private static byte[] ReadBytes(ZipArchive zip, string name)
    {
        var entry = zip.GetEntry(name) ?? throw new Xunit.Sdk.XunitException($"{name} is not in the package");
        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}

/// <summary>The README's from-source quick start, run as written (with the output folder in a temporary place).</summary>
[Trait("Category", "Slow")]
public class QuickStartFromSourceTests
{
    [Fact]
    public void ReadmeFromSourceCommand_RendersTheExample()
    {
        const string Command = "dotnet run --project src/PostfixConfig.Cli -- render examples/newsletter.yaml --out out";
        Assert.Contains(Command + "\n", File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md")), StringComparison.Ordinal);
        using var dir = new TempDir();
        var words = Command.Split(' ');
        Assert.Equal("out", words[^1]);
        words[^1] = dir.File("out");
        PackedPackages.RunProcess(words[0], RepoPaths.Root, null, words[1..]);
        Assert.Contains("smtp_tls_security_level = dane\n", File.ReadAllText(dir.File("out/main.cf")), StringComparison.Ordinal);
        Assert.True(File.Exists(dir.File("out/tls_policy")));
    }
}
