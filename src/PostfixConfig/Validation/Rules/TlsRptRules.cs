using FluentValidation;
using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;
using PostfixConfig.MtaSts;

namespace PostfixConfig.Validation.Rules;

/// <summary>
/// Outbound TLSRPT (RFC 8460, Postfix 3.10 and later; TLSRPT_README): <c>smtp_tlsrpt_enable</c> needs
/// <c>smtp_tlsrpt_socket_name</c>, the socket of the local collector (<c>tlsrpt_collectd</c> of sys4's
/// tlsrpt-reporter), which must not be in Postfix's own socket folders; the note names the socket's full
/// path, which the collector must be configured with; LMTP has no TLSRPT; and a note when an MTA-STS
/// resolver is set up but TLSRPT is not.
/// </summary>
internal sealed class TlsRptRules : RuleSet
{
    private const string Enable = "smtp_tlsrpt_enable";
    private const string Socket = "smtp_tlsrpt_socket_name";

    protected override void Check(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        if (t.Knows("lmtp_tlsrpt_enable") && t.IsSet("lmtp_tlsrpt_enable") && t.Flag("lmtp_tlsrpt_enable") == true)
        {
            context.Warning(DiagnosticCodes.TlsRptSettings, "lmtp_tlsrpt_enable",
                "The LMTP client does not support TLSRPT; Postfix turns it off with a warning. Remove lmtp_tlsrpt_enable.",
                t.SpanOf("lmtp_tlsrpt_enable"));
        }

        if (!t.Knows(Enable))
        {
            return; // before 3.10 the parameters themselves are reported
        }

        var enabled = t.IsSet(Enable) && t.Flag(Enable) == true;
        var socket = t.Resolve(Socket);
        if (!enabled)
        {
            if (t.IsSet(Socket) && socket is { Length: > 0 } && t.Flag(Enable) == false)
            {
                context.Info(DiagnosticCodes.SettingHasNoEffect, Socket,
                    $"{Socket} is set but {Enable} is not yes, so the SMTP client reports nothing to the collector.",
                    t.SpanOf(Socket));
            }

            if (t.Config.MtaSts is { } resolver)
            {
                context.Info(DiagnosticCodes.TlsRptSettings, Enable,
                    $"TLSRPT reporting is off: domains that ask for reports (an _smtp._tls TXT record) learn nothing about this host's TLS failures to their MTA-STS or DANE MX hosts. To report, run the TLSRPT collector (tlsrpt_collectd, https://github.com/sys4/tlsrpt-reporter) and set {Enable}: yes and {Socket}: run/tlsrpt/tlsrpt.sock (needs a Postfix built with libtlsrpt).",
                    resolver.Span);
            }

            return;
        }

        if (socket is { Length: 0 })
        {
            context.Error(DiagnosticCodes.TlsRptSettings, Enable,
                $"{Enable} = yes needs {Socket}, the endpoint of the TLSRPT reporting daemon (for example {Socket} = run/tlsrpt/tlsrpt.sock, relative to the queue directory); the collector tlsrpt_collectd listens there.",
                t.SpanOf(Enable));
            return;
        }

        if (socket is null)
        {
            return; // a $reference this configuration cannot resolve
        }

        var relative = !socket.StartsWith('/');
        var queue = t.Resolve("queue_directory") is { Length: > 0 } q ? q : "/var/spool/postfix";
        var path = relative ? $"{queue.TrimEnd('/')}/{socket}" : socket;
        var queuePrefix = queue.TrimEnd('/') + "/";
        var inQueue = relative ? socket : socket.StartsWith(queuePrefix, StringComparison.Ordinal) ? socket[queuePrefix.Length..] : string.Empty;
        if (inQueue.StartsWith("private/", StringComparison.Ordinal) || inQueue.StartsWith("public/", StringComparison.Ordinal))
        {
            context.Warning(DiagnosticCodes.TlsRptSettings, Socket,
                $"{Socket} = {socket} is in one of Postfix's own socket folders (private/, public/), where only Postfix programs may create sockets (TLSRPT_README); use run/tlsrpt/tlsrpt.sock.",
                t.SpanOf(Socket));
        }

        context.Info(DiagnosticCodes.DeploymentNote, Enable,
            $"TLSRPT needs a Postfix built with the TLSRPT library (libtlsrpt) and a running TLSRPT collector: configure tlsrpt_collectd (https://github.com/sys4/tlsrpt-reporter) with the socket {path}"
            + (relative ? $" ({Socket} is relative to queue_directory {queue}, so it works with and without chroot)" : string.Empty)
            + "; otherwise Postfix logs a warning and sends no reports.",
            t.SpanOf(Enable));

        if (t.Config.MtaSts is { } mtaSts && !MtaStsSetup.SendsPolicyAttributes(mtaSts, t.Version) && Thresholds.PolicyPluginAttributes.IsSatisfiedBy(t.Version))
        {
            context.Info(DiagnosticCodes.TlsRptSettings, Enable,
                $"Postfix reports TLSRPT results for MTA-STS domains only when the resolver sends the policy attributes (policy_type, policy_domain, ...); {MtaStsResolver.NameOf(mtaSts.Kind)} as set up here does not (see mta_sts), so only DANE results are reported.",
                mtaSts.Span);
        }
    }
}
