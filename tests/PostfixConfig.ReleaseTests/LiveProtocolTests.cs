using System.Globalization;
using PostfixConfig.Diagnostics;
using PostfixConfig.Rendering;
using PostfixConfig.ReleaseTests.Support;
using Xunit.Abstractions;

namespace PostfixConfig.ReleaseTests;

/// <summary>
/// Each profile on the wire: the library renders main.cf and master.cf for the release with the smtp,
/// submission and submissions services on loopback ports, the release runs them (chroot off), and
/// <c>openssl s_client</c> offers TLSv1, TLSv1.1, TLSv1.2 and TLSv1.3 one at a time on each listener.
/// Each listener must accept exactly the protocols its effective setting means: port 25 (opportunistic)
/// <c>smtpd_tls_protocols</c>, submission (STARTTLS required) and submissions (TLS at once) the mandatory
/// <c>smtpd_tls_mandatory_protocols</c>, each with the service's own <c>-o</c> override where it has one,
/// read by the test's own protocol-list reader (<see cref="ProtocolExpectation"/>).
/// </summary>
[Trait("Category", "Releases")]
[Trait("Category", "Slow")]
public class LiveProtocolTests(ITestOutputHelper output)
{
    [ReleaseTheory]
    [MemberData(nameof(ReleaseData.All), MemberType = typeof(ReleaseData))]
    public void Profiles_EachListenerAcceptsExactlyItsProtocols(ReleaseTree release)
    {
        ArgumentNullException.ThrowIfNull(release);
        Releases.RequireEnvironment();
        var failures = new List<string>();
        int handshakes = 0, asIntended = 0;
        foreach (var profile in RenderInputs.Profiles)
        {
            var ports = ReleaseInstance.FreePorts(3);
            var loaded = PostfixTls.LoadYaml(RenderInputs.ProfileYaml(release, profile, (ports[0], ports[1], ports[2])), $"{profile}.yaml");
            Assert.False(loaded.HasErrors, loaded.Diagnostics.ToString());
            var options = RenderInputs.For(release);
            var rendered = PostfixTls.Render(loaded.Value, options);
            if (rendered.HasErrors)
            {
                // Only the catalog's own verdict (profiles.txt) may keep a profile from a release.
                Assert.Contains(rendered.Diagnostics, d => d.Code == DiagnosticCodes.ProfileNotExpressible);
                output.WriteLine($"{profile}: not expressible for {release.MailVersion} ({rendered.Diagnostics.First(d => d.Code == DiagnosticCodes.ProfileNotExpressible).Message})");
                continue;
            }

            var effective = PostfixTls.Expand(loaded.Value, options.Validation).GetValueOrThrow().Configuration;
            using var instance = Start(release, rendered.Value, effective, ports);
            var defaults = ReleaseFacts.Defaults(release);
            foreach (var service in effective.Services)
            {
                var port = int.Parse(service.Listen![(service.Listen!.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
                string Setting(string name) =>
                    service.Overrides.TryGetValue(name, out var o) ? o.Text
                    : effective.Main.TryGetValue(name, out var m) ? m.Text
                    : defaults[name];
                var wrapper = Setting("smtpd_tls_wrappermode") == "yes";
                var mandatory = wrapper || Setting("smtpd_tls_security_level") == "encrypt";
                var parameter = mandatory ? "smtpd_tls_mandatory_protocols" : "smtpd_tls_protocols";
                var accepted = ProtocolExpectation.Accepted(Setting(parameter));
                Assert.True(accepted is not null, $"{profile}/{service.Name}: the test cannot read {parameter} = {Setting(parameter)}");
                foreach (var (option, name) in OpenSslClient.Protocols)
                {
                    handshakes++;
                    var handshake = wrapper ? OpenSslClient.ImplicitTls(port, option) : OpenSslClient.StartTls(port, option);
                    var expected = accepted.Contains(name);
                    var ok = expected ? handshake.Established && handshake.Protocol == name : !handshake.Established;
                    output.WriteLine($"{profile} {service.Name} ({parameter} = {Setting(parameter)}) {name}: {(handshake.Established ? "accepted" : "refused")}{(ok ? string.Empty : " NOT AS INTENDED")}");
                    if (ok)
                    {
                        asIntended++;
                    }
                    else
                    {
                        failures.Add($"{profile} {service.Name}: {name} {(expected ? "should be accepted" : "should be refused")} ({parameter} = {Setting(parameter)})\n{handshake.Output}");
                    }
                }
            }

            if (failures.Count > 0)
            {
                failures.Add(instance.Describe());
            }
        }

        output.WriteLine($"{release.MailVersion}: {asIntended} of {handshakes} handshakes as the profiles intend");
        ReleaseSummary.Record(release, "live", $"{asIntended}/{handshakes}");
        Assert.True(failures.Count == 0, $"{release.MailVersion}:\n" + string.Join('\n', failures));
        Assert.True(handshakes > 0, "no profile was tried");
    }

    /// <summary>The rendered files with the harness settings, chroot off for every service, started, the listeners up.</summary>
    private static ReleaseInstance Start(ReleaseTree release, RenderedConfiguration rendered, TlsConfiguration effective, int[] ports)
    {
        var instance = ReleaseInstance.Create(release);
        try
        {
            rendered.WriteTo(instance.ConfigDirectory);
            var harness = instance.HarnessSettings.Where(h => !effective.Main.ContainsKey(h.Name));
            instance.WriteConfigFile("main.cf", rendered.MainCf.Content + "\n# release test harness\n" + ReleaseInstance.MainCfText(harness));
            var chroot = instance.Postconf("-Fe", "*/*/chroot = n");
            Assert.True(chroot.ExitCode == 0, chroot.Output);
            File.SetLastWriteTimeUtc(Path.Combine(instance.ConfigDirectory, "master.cf"), DateTime.UtcNow.AddHours(-1));
            var start = instance.Start(checkedAlready: false);
            Assert.True(start.ExitCode == 0, $"postfix start failed: {start.Output}\n{instance.Describe()}");
            foreach (var port in ports)
            {
                Assert.True(instance.WaitForPort(port) is null, $"127.0.0.1:{port} did not come up\n{instance.Describe()}");
            }

            return instance;
        }
        catch
        {
            instance.Dispose();
            throw;
        }
    }
}
