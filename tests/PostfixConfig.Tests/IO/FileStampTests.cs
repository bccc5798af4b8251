using System.Security.Cryptography;
using PostfixConfig.IO;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.IO;

/// <summary>
/// The stamp a merge takes of each file it read, and compares just before its renames: existence,
/// device, inode, size and modification time as <c>stat</c> reports them, and the content's SHA-256.
/// A FIFO is described, never opened; a file another program holds open is still stamped.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class FileStampTests : IDisposable
{
    /// <summary>A hang guard (opening a FIFO with no writer blocks for ever), not a speed test.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(10);

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Of_AMissingFile_IsMissing()
    {
        var stamp = FileStamp.Of(_dir.File("main.cf"));
        Assert.Same(FileStamp.Missing, stamp);
        Assert.False(stamp.Exists);
        Assert.Equal(string.Empty, stamp.Sha256);
        Assert.Equal((0UL, 0UL, 0L, 0L), (stamp.Device, stamp.Inode, stamp.Size, stamp.ModifiedNs));
    }

    [Fact]
    public void Of_ARegularFile_IsWhatStatAndSha256Say()
    {
        var path = _dir.Write("main.cf", "smtpd_tls_security_level = may\n");
        var stamp = FileStamp.Of(path);
        var stat = StatCommand.Identity(path);
        Assert.True(stamp.Exists);
        Assert.Equal(stat.Device, stamp.Device);
        Assert.Equal(stat.Inode, stamp.Inode);
        Assert.Equal(31, stamp.Size);
        Assert.Equal(stat.ModifiedNs, stamp.ModifiedNs);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))), stamp.Sha256);
        Assert.Equal(stamp, FileStamp.Of(path));

        var read = FileStamp.Read(path, 1000, out var content);
        Assert.Equal(stamp, read);
        Assert.Equal(File.ReadAllBytes(path), content);
    }

    [Fact]
    public void Of_ChangesWithTheContent_TheTimeOrTheFile()
    {
        var path = _dir.Write("main.cf", "a = 1\n");
        var first = FileStamp.Of(path);
        var mtime = File.GetLastWriteTimeUtc(path);

        File.WriteAllText(path, "a = 2\n"); // same size
        File.SetLastWriteTimeUtc(path, mtime);
        var changed = FileStamp.Of(path);
        Assert.NotEqual(first.Sha256, changed.Sha256);
        Assert.Equal((first.Inode, first.Size), (changed.Inode, changed.Size));

        File.SetLastWriteTimeUtc(path, mtime.AddSeconds(1));
        Assert.NotEqual(changed, FileStamp.Of(path));

        var other = _dir.Write("other", "a = 2\n");
        File.SetLastWriteTimeUtc(other, mtime);
        File.Move(other, path, overwrite: true); // same content and time, another file
        var replaced = FileStamp.Of(path);
        Assert.Equal(changed.Sha256, replaced.Sha256);
        Assert.NotEqual(changed.Inode, replaced.Inode);
        Assert.NotEqual(changed, replaced);
    }

    [Fact]
    public void Of_AFileAnotherProgramHoldsOpen_IsStamped()
    {
        var path = _dir.Write("main.cf", "a = 1\n");
        using var held = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        Assert.Equal(6, FileStamp.Of(path).Size);
    }

    [Fact]
    public void Of_AFifo_IsDescribedNotOpened_ReadRefusesIt()
    {
        var fifo = _dir.Fifo("main.cf");
        var stamp = Bounded(() => FileStamp.Of(fifo), fifo);
        Assert.True(stamp.Exists);
        Assert.Equal($"(mode {StatCommand.Identity(fifo).Mode:x})", stamp.Sha256); // stat's raw mode in hex: S_IFIFO (1000) and the permissions
        Assert.Equal(StatCommand.Identity(fifo).Inode, stamp.Inode);

        var ex = Assert.Throws<NotRegularFileException>(() => Bounded(() => FileStamp.Read(fifo, 1000, out _), fifo));
        Assert.Contains("not a regular file", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Runs <paramref name="take"/> under the hang guard; a FIFO it opened by mistake is given a writer, and the test fails.</summary>
    private static T Bounded<T>(Func<T> take, string fifo)
    {
        var task = Task.Run(take);
        if (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(HangGuard))
        {
            using (new FileStream(fifo, FileMode.Open, FileAccess.Write))
            {
            }

            Assert.Fail($"{fifo} was opened");
        }

        return task.GetAwaiter().GetResult();
    }
}
