using System.Globalization;
using PostfixConfig.IO;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.IO;

/// <summary>
/// The bounded reader every file but the YAML goes through (README "Safety and limits"): every byte up to
/// the limit, never one more, whatever the file says its length is (a regular file, a FIFO, a device,
/// /proc); FIFOs and devices refused where only regular files are wanted; links followed to the end;
/// and the limit named in the message the way a person reads it.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BoundedFileTests : IDisposable
{
    /// <summary>A hang guard for the FIFO writers, not a speed test.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(20);

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(0L, "0 bytes")]
    [InlineData(1000L, "1,000 bytes")]
    [InlineData((1L << 20) - 1, "1,048,575 bytes")]
    [InlineData(1L << 20, "1 MiB")]
    [InlineData((1L << 20) + 1, "1,048,577 bytes")]
    [InlineData(3L << 19, "1,572,864 bytes")]
    [InlineData(16L << 20, "16 MiB")]
    [InlineData(256L << 20, "256 MiB")]
    public void Describe_WholeMebibytesAsMiB_ElseBytes(long bytes, string expected) =>
        Assert.Equal(expected, InputLimits.Describe(bytes));

    [Fact]
    public void RegularFileOverTheLimit_IsRefusedWithItsLength_BeforeReading()
    {
        var path = _dir.Write("tls_policy", string.Concat(Enumerable.Repeat("example.com encrypt\n", 1000)));
        var ex = Assert.Throws<InputTooLargeException>(() => BoundedFile.ReadAllBytes(path, 1000, regularOnly: true));
        Assert.Equal($"{path} is 20,000 bytes long; the limit is 1,000 bytes.", ex.Message);
        Assert.Equal(path, ex.FilePath);
        Assert.Equal(1000, ex.Limit);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(65_535)]
    [InlineData(65_536)]
    [InlineData(65_537)]
    [InlineData(200_000)]
    public void RegularFile_UpToTheLimit_ReadsEveryByte_OneMoreIsRefused(int length)
    {
        var path = _dir.File("f");
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        Assert.Equal(bytes, BoundedFile.ReadAllBytes(path, length, regularOnly: true));
        Assert.Equal(bytes, BoundedFile.ReadAllBytes(path, length + 1L, regularOnly: true));
        Assert.Equal(bytes, BoundedFile.ReadAllBytes(path, 16L << 20, regularOnly: false));
        if (length > 0)
        {
            var ex = Assert.Throws<InputTooLargeException>(() => BoundedFile.ReadAllBytes(path, length - 1, regularOnly: true));
            Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"{path} is {length:N0} bytes long; the limit is {length - 1:N0} bytes."), ex.Message);
        }
    }

    [Fact]
    public void Device_IsRefusedWhenOnlyRegularFilesAreWanted_AndBoundedOtherwise()
    {
        var refused = Assert.Throws<NotRegularFileException>(() => BoundedFile.ReadAllBytes("/dev/zero", 100, regularOnly: true));
        Assert.Equal("/dev/zero is not a regular file (a FIFO, device or socket); it was not opened.", refused.Message);
        var ex = Assert.Throws<InputTooLargeException>(() => BoundedFile.ReadAllBytes("/dev/zero", 100_000, regularOnly: false));
        Assert.Equal("/dev/zero holds more than 100,000 bytes (reading stopped there); the limit is 100,000 bytes.", ex.Message);
        Assert.Equal("/dev/zero", ex.FilePath);
        Assert.Equal(100_000, ex.Limit);
    }

    [Fact]
    public void ProcFileThatReportsLengthZero_IsReadWhole()
    {
        // /proc files say they are 0 bytes long and can be sought: the buffer must grow as bytes arrive.
        var expected = File.ReadAllBytes("/proc/self/cmdline");
        Assert.True(expected.Length > 8, "this process has a command line");
        Assert.Equal(expected, BoundedFile.ReadAllBytes("/proc/self/cmdline", 1 << 20, regularOnly: false));
        Assert.Throws<InputTooLargeException>(() => BoundedFile.ReadAllBytes("/proc/self/cmdline", expected.Length - 1, regularOnly: false));
    }

    /// <summary>
    /// FIFO contents of these lengths around the 64 KiB read chunk and its doublings, read with a
    /// limit of exactly the length, one more, one less, and far more (2 GiB, larger than any array).
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(65_536)]
    [InlineData(65_537)]
    [InlineData(131_072)]
    [InlineData(200_000)]
    public void Fifo_UpToTheLimit_ReadsEveryByte_BeyondItStopsThere(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        foreach (var limit in new long[] { length, length + 1L, 2L << 30 })
        {
            Assert.Equal(bytes, ThroughFifo(bytes, limit));
        }

        if (length > 0)
        {
            var ex = Assert.Throws<InputTooLargeException>(() => ThroughFifo(bytes, length - 1));
            Assert.EndsWith($" holds more than {InputLimits.Describe(length - 1)} (reading stopped there); the limit is {InputLimits.Describe(length - 1)}.", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Fifo_IsRefusedUnopened_WhenOnlyRegularFilesAreWanted()
    {
        var fifo = _dir.Fifo("pipe");
        var ex = Assert.Throws<NotRegularFileException>(() => BoundedFile.ReadAllBytes(fifo, 100, regularOnly: true));
        Assert.Equal($"{fifo} is not a regular file (a FIFO, device or socket); it was not opened.", ex.Message);
        Assert.False(BoundedFile.IsRegularFile(fifo));
    }

    [Fact]
    public void IsRegularFile_FollowsEveryLink_ToTheEnd()
    {
        var file = _dir.Write("cert.pem", "x");
        var fifo = _dir.Fifo("pipe");
        File.CreateSymbolicLink(_dir.File("one"), file);
        File.CreateSymbolicLink(_dir.File("two"), _dir.File("one")); // Let's Encrypt: live/ links to archive/
        File.CreateSymbolicLink(_dir.File("relative"), "two");
        File.CreateSymbolicLink(_dir.File("to-fifo"), fifo);
        File.CreateSymbolicLink(_dir.File("to-link-to-fifo"), _dir.File("to-fifo"));
        Assert.True(BoundedFile.IsRegularFile(file));
        Assert.True(BoundedFile.IsRegularFile(_dir.File("one")));
        Assert.True(BoundedFile.IsRegularFile(_dir.File("two")));
        Assert.True(BoundedFile.IsRegularFile(_dir.File("relative")));
        Assert.False(BoundedFile.IsRegularFile(_dir.File("to-fifo")));
        Assert.False(BoundedFile.IsRegularFile(_dir.File("to-link-to-fifo")));
        Assert.False(BoundedFile.IsRegularFile(_dir.Path));
        Assert.Equal("x"u8.ToArray(), BoundedFile.ReadAllBytes(_dir.File("two"), 10, regularOnly: true));
        Assert.Throws<NotRegularFileException>(() => BoundedFile.ReadAllBytes(_dir.File("to-link-to-fifo"), 10, regularOnly: true));
    }

    /// <summary>Reads <paramref name="bytes"/> through a new FIFO, written by another thread, with the limit given.</summary>
    private byte[] ThroughFifo(byte[] bytes, long limit)
    {
        var fifo = _dir.Fifo($"fifo-{Guid.NewGuid():N}");
        var writer = Task.Run(() =>
        {
            try
            {
                using var stream = new FileStream(fifo, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
                stream.Write(bytes);
            }
            catch (IOException)
            {
                // the reader stopped at its limit and closed the pipe (EPIPE)
            }
        });
        try
        {
            return BoundedFile.ReadAllBytes(fifo, limit, regularOnly: false);
        }
        finally
        {
            Assert.True(writer.Wait(HangGuard), "the FIFO writer did not finish");
        }
    }
}
