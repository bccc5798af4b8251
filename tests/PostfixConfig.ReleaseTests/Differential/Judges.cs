using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PostfixConfig.Certificates;
using PostfixConfig.Diagnostics;
using PostfixConfig.ReleaseTests.Support;

namespace PostfixConfig.ReleaseTests.Differential;

/// <summary>The library judges a case as a user would: <c>validate --check-files</c> of the case's YAML.</summary>
internal static class ProductJudge
{
    public static ProductVerdict Judge(string yaml)
    {
        var loaded = PostfixTls.LoadYaml(yaml, "case.yaml");
        var diagnostics = new List<Diagnostic>(loaded.Diagnostics);
        if (!loaded.HasErrors)
        {
            diagnostics.AddRange(PostfixTls.Validate(loaded.Value));
            diagnostics.AddRange(PostfixTls.CheckFiles(loaded.Value, CertificateCheckOptions.Default));
        }

        var severity = diagnostics.Count == 0 ? Severity.Clean : diagnostics.Max(d => ProductVerdict.Of(d.Severity));
        return new ProductVerdict(severity, diagnostics);
    }
}

/// <summary>
/// The release judges a case: its <c>postconf -n</c> (and <c>-M</c>, <c>-P</c>), <c>postmap</c> and
/// <c>postfix check</c> on the case's files, then a live start on loopback and the probe (STARTTLS from
/// <c>openssl s_client</c>, or a message through the SMTP client), and the instance's log.
/// Error: a program stops or fails, the instance does not start, TLS is disabled or does not work where
/// the case means it to (or works where it means none), the message is not delivered, or the log has a
/// fatal, panic or error line. Warning: any other warning line. Clean: nothing said.
/// </summary>
internal static partial class ReleaseJudge
{
    /// <param name="release">The judge.</param>
    /// <param name="c">The case.</param>
    /// <param name="yamlFor">The case's YAML for the instance's layout and harness settings.</param>
    /// <param name="product">The library's verdict on that YAML.</param>
    /// <param name="postconfSaid">What the release's <c>postconf -n</c> printed on stderr.</param>
    public static (Verdict Verdict, string Transcript) Judge(ReleaseTree release, DiffCase c, Func<DiffCase.Layout, IReadOnlyList<(string, string)>, string> yamlFor,
        out ProductVerdict product, out string postconfSaid)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(yamlFor);
        using var instance = ReleaseInstance.Create(release);
        var ports = ReleaseInstance.FreePorts(3);
        var layout = new DiffCase.Layout(instance.ConfigDirectory, ports[0], ports[1], ports[2]);
        var harness = instance.HarnessSettings;
        product = ProductJudge.Judge(yamlFor(layout, harness));

        var errors = new List<string>();
        var warnings = new List<string>();
        var transcript = new StringBuilder();
        void Heard(string what, Proc.Result r)
        {
            transcript.Append(CultureInfo.InvariantCulture, $"$ {what}: exit {r.ExitCode}\n{r.StdOut}{r.StdErr}");
            if (r.ExitCode != 0)
            {
                errors.Add($"{what} exited with {r.ExitCode}");
            }

            Classify(what, r.Output, errors, warnings);
        }

        instance.WriteConfigFile("main.cf", ReleaseInstance.MainCfText(c.Settings(harness, layout)));
        instance.WriteConfigFile("master.cf", ReleaseInstance.MasterCfText(c.Listeners(layout)));
        if (c.Policy is not null)
        {
            var policy = instance.WriteConfigFile(DiffCase.PolicyFile, c.PolicyLine(layout));
            Heard("postmap", instance.Postmap("hash:" + policy));
        }

        var n = instance.Postconf("-n");
        postconfSaid = n.StdErr;
        Heard("postconf -n", n);
        if (c.Probe == Probe.Submission)
        {
            Heard("postconf -M", instance.Postconf("-M"));
            Heard("postconf -P", instance.Postconf("-P"));
        }

        Heard("postfix check", instance.Check());
        var start = instance.Start(checkedAlready: true);
        Heard("postfix start", start);
        if (start.ExitCode == 0)
        {
            TryOnTheWire(instance, c, layout, errors);
            Thread.Sleep(300); // the last log lines of the session
        }

        var log = instance.Log;
        transcript.Append("--- log ---\n").Append(log);
        Classify("log", log, errors, warnings);
        var severity = errors.Count > 0 ? Severity.Error : warnings.Count > 0 ? Severity.Warning : Severity.Clean;
        var verdict = new Verdict(severity, [.. errors.Concat(warnings).Distinct()]);
        return (verdict, $"--- main.cf ---\n{File.ReadAllText(Path.Combine(instance.ConfigDirectory, "main.cf"))}--- master.cf ---\n{File.ReadAllText(Path.Combine(instance.ConfigDirectory, "master.cf"))}{c.PolicyLine(layout)}{transcript}");
    }

    private static void TryOnTheWire(ReleaseInstance instance, DiffCase c, DiffCase.Layout layout, List<string> errors)
    {
        var port = c.Probe switch
        {
            Differential.Probe.Submission => layout.Submission,
            Differential.Probe.Client => layout.Receiver,
            _ => layout.Smtpd,
        };
        if (instance.WaitForPort(port) is { } notListening)
        {
            errors.Add(notListening);
            return;
        }

        if (c.Probe != Differential.Probe.Client)
        {
            // Ask for STARTTLS only where it is offered (s_client would send a TLS hello into plain SMTP).
            var (offered, ehlo) = OpenSslClient.OffersStartTls(port);
            var handshake = offered ? OpenSslClient.StartTls(port) : new OpenSslClient.Handshake(false, null, "STARTTLS not offered\n" + ehlo);
            if (handshake.Established != c.ExpectTls)
            {
                errors.Add(c.ExpectTls
                    ? $"no TLS handshake after STARTTLS on {(c.Probe == Differential.Probe.Server ? "port 25" : "submission")}: {FirstError(handshake.Output)}"
                    : $"TLS negotiated ({handshake.Protocol}) where the case means none");
            }

            return;
        }

        var sent = instance.Send("sender@pfc-release.example", "rcpt@pfc-release.example");
        if (sent.ExitCode != 0)
        {
            errors.Add($"sendmail exited with {sent.ExitCode}: {sent.Output.Trim()}");
            return;
        }

        var outcome = instance.WaitForLogLine(DeliveryOutcome(), TimeSpan.FromSeconds(30));
        if (outcome is null)
        {
            errors.Add("no delivery outcome in the log within 30 s");
            return;
        }

        if (!outcome.Contains("status=", StringComparison.Ordinal))
        {
            errors.Add("a program stopped before the delivery: " + Shorten(outcome.Trim())); // a fatal line: no outcome will come
            return;
        }

        if (!outcome.Contains("status=sent", StringComparison.Ordinal))
        {
            errors.Add("not delivered: " + outcome[(outcome.IndexOf("status=", StringComparison.Ordinal))..]);
        }

        var tls = instance.Log.Contains("TLS connection established to 127.0.0.1", StringComparison.Ordinal);
        if (tls != c.ExpectTls && outcome.Contains("status=sent", StringComparison.Ordinal))
        {
            errors.Add(c.ExpectTls ? "delivered without TLS" : "delivered with TLS where the case means none");
        }
    }

    /// <summary>Sorts a program's or the log's lines into errors and warnings (with the line as the reason).</summary>
    private static void Classify(string what, string text, List<string> errors, List<string> warnings)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || Noise().IsMatch(line))
            {
                continue;
            }

            var reason = $"{what}: {Shorten(line)}";
            if (ErrorLine().IsMatch(line))
            {
                errors.Add(reason);
            }
            else if (line.Contains("warning:", StringComparison.Ordinal))
            {
                warnings.Add(reason);
            }
        }
    }

    /// <summary>The part of a log line after the program name (no time stamp, host or path of this run).</summary>
    private static string Shorten(string line)
    {
        var m = ProgramPrefix().Match(line);
        var text = m.Success ? line[m.Length..] : line;
        return Regex.Replace(text, @"/tmp/pfc-release-[A-Za-z0-9]+", "DIR");
    }

    private static string FirstError(string output) =>
        output.Split('\n').FirstOrDefault(l => l.Contains("error", StringComparison.OrdinalIgnoreCase) || l.Contains("not offered", StringComparison.Ordinal)
            || l.Contains("did not finish", StringComparison.Ordinal))?.Trim() ?? "no handshake";

    [GeneratedRegex(@"\b(fatal|panic|error):|disabling TLS support|Invalid TLS protocol list")]
    private static partial Regex ErrorLine();

    [GeneratedRegex(@"status=(sent|deferred|bounced)|\b(fatal|panic):")]
    private static partial Regex DeliveryOutcome();

    // The instance's own chatter that says nothing about the configuration.
    [GeneratedRegex(@"See https://www\.postfix\.org/DEPRECATION_README\.html")]
    private static partial Regex Noise();

    [GeneratedRegex(@"^.*?\b(postfix[^\s:]*|postconf|postmap|postlog)(\[\d+\])?:\s")]
    private static partial Regex ProgramPrefix();
}
