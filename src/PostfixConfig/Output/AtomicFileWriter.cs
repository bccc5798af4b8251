using System.Text;

namespace PostfixConfig.Output;

/// <summary>
/// Writes a set of files all or nothing: each goes to a temporary file in the target folder,
/// is flushed to disk, and only when every one is complete are they renamed into place. On any
/// failure the temporary files are removed and the previous files are untouched.
/// </summary>
internal static class AtomicFileWriter
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static IReadOnlyList<string> Write(string directory, IEnumerable<(string FileName, Action<TextWriter> Write)> files, WriteOptions options)
    {
        Directory.CreateDirectory(directory);
        var staged = new List<(string Temp, string Final)>();
        try
        {
            foreach (var (name, write) in files)
            {
                if (name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) || name is "." or ".." || name.Length == 0)
                {
                    throw new IOException($"Refusing to write '{name}': output files must stay inside the output folder.");
                }

                var final = Path.Combine(directory, name);
                var temp = Path.Combine(directory, $".{name}.{Guid.NewGuid():N}.tmp");
                staged.Add((temp, final));
                using (var stream = new FileStream(temp, new FileStreamOptions
                {
                    Mode = FileMode.CreateNew,
                    Access = FileAccess.Write,
                    Share = FileShare.None,
                    BufferSize = 1 << 16,
                }))
                {
                    using (var writer = new StreamWriter(stream, Utf8, 1 << 16, leaveOpen: true) { NewLine = "\n" })
                    {
                        write(writer);
                    }

                    stream.Flush(flushToDisk: true);
                }

                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
                }
            }

            foreach (var (temp, final) in staged)
            {
                if (options.Backup && File.Exists(final))
                {
                    File.Copy(final, final + ".bak", overwrite: true);
                }

                File.Move(temp, final, overwrite: true);
            }

            return [.. staged.Select(s => s.Final)];
        }
        catch
        {
            foreach (var (temp, _) in staged)
            {
                try
                {
                    File.Delete(temp);
                }
                catch (IOException)
                {
                    // best effort: the original error is what matters
                }
                catch (UnauthorizedAccessException)
                {
                    // best effort
                }
            }

            throw;
        }
    }
}
