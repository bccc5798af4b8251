namespace PostfixConfig.Fuzz;

/// <summary>
/// The folders one fuzz worker uses: <c>in/</c> (the input files), <c>out/</c> (the only folder
/// anything may be written to) and <c>canary/</c> (named by paths in the inputs, must stay empty).
/// After every input <see cref="Check"/> confirms that nothing else was written: no new entry
/// beside them, no change to an input file.
/// </summary>
internal sealed class Workspace : IDisposable
{
    private readonly Dictionary<string, byte[]> _written = new(StringComparer.Ordinal);

    public Workspace(string? parent = null)
    {
        Root = parent is null
            ? Directory.CreateTempSubdirectory("pfc-fuzz-").FullName
            : Directory.CreateDirectory(Path.Combine(parent, $"work-{Environment.ProcessId}-{Guid.NewGuid():N}")).FullName;
        In = Directory.CreateDirectory(Path.Combine(Root, "in")).FullName;
        Out = Directory.CreateDirectory(Path.Combine(Root, "out")).FullName;
        Canary = Directory.CreateDirectory(Path.Combine(Root, "canary")).FullName;
    }

    public string Root { get; }

    public string In { get; }

    public string Out { get; }

    public string Canary { get; }

    /// <summary>Empties <c>in/</c> and <c>out/</c> for the next input.</summary>
    public void Reset()
    {
        _written.Clear();
        Empty(In);
        Empty(Out);
    }

    /// <summary>Writes an input file into <c>in/</c> and returns its full path.</summary>
    public string Write(string name, byte[] content)
    {
        var path = Path.Combine(In, name);
        File.WriteAllBytes(path, content);
        _written[name] = content;
        return path;
    }

    /// <summary>What was written outside <c>out/</c>, or <see langword="null"/> when nothing was.</summary>
    public string? Check()
    {
        var top = Directory.GetFileSystemEntries(Root).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        if (!top.SequenceEqual(["canary", "in", "out"], StringComparer.Ordinal))
        {
            return "entries beside in/ and out/: " + string.Join(", ", top);
        }

        if (Directory.GetFileSystemEntries(Canary).Length > 0)
        {
            return "written into canary/: " + string.Join(", ", Directory.GetFileSystemEntries(Canary).Select(Path.GetFileName));
        }

        var names = Directory.GetFileSystemEntries(In).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        if (!names.SequenceEqual(_written.Keys.Order(StringComparer.Ordinal), StringComparer.Ordinal))
        {
            return "in/ holds " + string.Join(", ", names) + " instead of " + string.Join(", ", _written.Keys.Order(StringComparer.Ordinal));
        }

        foreach (var (name, content) in _written)
        {
            var path = Path.Combine(In, name);
            if (new FileInfo(path).Length != content.Length || !File.ReadAllBytes(path).AsSpan().SequenceEqual(content))
            {
                return $"in/{name} was changed";
            }
        }

        return null;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void Empty(string folder)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(folder))
        {
            if (Directory.Exists(entry) && new FileInfo(entry).LinkTarget is null)
            {
                Directory.Delete(entry, recursive: true);
            }
            else
            {
                File.Delete(entry);
            }
        }
    }
}
