using PostfixConfig.ReleaseTests.Support;

namespace PostfixConfig.ReleaseTests;

/// <summary>
/// A scratch instance of each release stops cleanly: after <see cref="ReleaseInstance.Dispose"/> no
/// process of it is left, checked by the master's process id and by every process whose environment
/// names the instance's config directory (and Dispose fails when <c>postfix stop</c> left one to kill).
/// </summary>
[Trait("Category", "Releases")]
[Trait("Category", "Slow")]
public class InstanceTests
{
    [ReleaseTheory]
    [MemberData(nameof(ReleaseData.All), MemberType = typeof(ReleaseData))]
    public void Instance_AfterDispose_NoProcessIsLeft(ReleaseTree release)
    {
        ArgumentNullException.ThrowIfNull(release);
        Releases.RequireEnvironment();
        var port = ReleaseInstance.FreePorts(1)[0];
        var instance = ReleaseInstance.Create(release);
        int master;
        try
        {
            instance.WriteConfigFile("main.cf", ReleaseInstance.MainCfText(instance.HarnessSettings));
            instance.WriteConfigFile("master.cf", ReleaseInstance.MasterCfText([ReleaseInstance.Listener(port, [])]));
            var start = instance.Start(checkedAlready: false);
            Assert.True(start.ExitCode == 0, start.Output + instance.Describe());
            Assert.True(instance.WaitForPort(port) is null, instance.Describe());
            master = int.Parse(File.ReadAllText(Path.Combine(instance.QueueDirectory, "pid", "master.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(Directory.Exists($"/proc/{master}"), $"master {master} is not running");
            Assert.True(instance.HasProcesses, "no process of the running instance found");
        }
        finally
        {
            instance.Dispose();
        }

        Assert.False(Directory.Exists($"/proc/{master}") && !File.ReadAllText($"/proc/{master}/stat").Contains(") Z", StringComparison.Ordinal),
            $"{release.MailVersion}: master {master} still runs after Dispose");
        Assert.False(instance.HasProcesses, $"{release.MailVersion}: a process of the instance still runs after Dispose");
    }
}
