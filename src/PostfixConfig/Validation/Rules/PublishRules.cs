using System.Globalization;
using FluentValidation;
using PostfixConfig.Diagnostics;
using PostfixConfig.MtaSts;

namespace PostfixConfig.Validation.Rules;

/// <summary>
/// What a domain publishes (<c>publish</c>): the domain, the MTA-STS policy (mode, MX patterns, at
/// least one unless the mode is none, <c>max_age</c> within RFC 8461's bounds) and the TLSRPT report
/// URIs (<c>mailto:</c> or <c>https:</c>), whether <c>myhostname</c> is among the MX patterns, and
/// advice on rolling a policy out. The certificate's names against the patterns are checked with
/// <c>--check-files</c> (<see cref="Certificates.PublishedPolicyCheck"/>).
/// </summary>
internal sealed class PublishRules : RuleSet
{
    /// <summary>Below this <c>max_age</c> (one day) a policy barely protects: RFC 8461 suggests weeks.</summary>
    private const long ShortMaxAge = 86_400;

    protected override void Check(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        if (t.Config.Publish is not { } publish)
        {
            return;
        }

        if (PolicySyntax.CheckDomain(publish.Domain) is { } bad)
        {
            context.Error(DiagnosticCodes.InvalidPublishedPolicy, "publish.domain", $"publish.domain: {bad}; give the mail domain (example.com).", publish.DomainSpan ?? publish.Span);
        }

        if (publish.MtaSts is null && publish.TlsRpt is null)
        {
            context.Info(DiagnosticCodes.PublishAdvice, "publish",
                "publish names neither mta_sts nor tlsrpt, so there is nothing to publish but the mail host's TLSA records.", publish.Span);
        }

        if (publish.MtaSts is { } policy)
        {
            CheckPolicy(context, t, publish, policy);
        }

        if (publish.TlsRpt is { } tlsRpt)
        {
            if (tlsRpt.Rua.IsEmpty)
            {
                context.Error(DiagnosticCodes.InvalidPublishedPolicy, "publish.tlsrpt.rua",
                    "publish.tlsrpt needs at least one rua: where reports go, mailto:tls-reports@example.com or https://reports.example.com/tlsrpt.",
                    tlsRpt.RuaSpan ?? tlsRpt.Span);
            }

            for (var i = 0; i < tlsRpt.Rua.Length; i++)
            {
                if (PolicySyntax.CheckReportUri(tlsRpt.Rua[i]) is { } problem)
                {
                    context.Error(DiagnosticCodes.InvalidPublishedPolicy, "publish.tlsrpt.rua", $"publish.tlsrpt.rua: {problem}.", tlsRpt.SpanOfRua(i));
                }
            }
        }
    }

    private static void CheckPolicy(ValidationContext<ValidationTarget> context, ValidationTarget t, PublishedPolicy publish, MtaStsPolicy policy)
    {
        var mode = MtaStsPolicy.NameOf(policy.Mode);
        if (policy.Mx.IsEmpty && policy.Mode != MtaStsMode.None)
        {
            context.Error(DiagnosticCodes.InvalidPublishedPolicy, "publish.mta_sts.mx",
                $"An MTA-STS policy in mode {mode} needs at least one mx pattern (RFC 8461 section 3.2): the MX host names senders may deliver to, such as mail.{publish.Domain} or *.{publish.Domain}. Without one, every sender that implements MTA-STS refuses the policy.",
                policy.MxSpan ?? policy.Span);
        }

        for (var i = 0; i < policy.Mx.Length; i++)
        {
            if (PolicySyntax.CheckMxPattern(policy.Mx[i]) is { } problem)
            {
                context.Error(DiagnosticCodes.InvalidPublishedPolicy, "publish.mta_sts.mx", $"publish.mta_sts.mx: {problem}.", policy.SpanOfMx(i));
            }
        }

        var maxAge = policy.MaxAge.ToString(CultureInfo.InvariantCulture);
        if (policy.MaxAge is < 0 or > MtaStsPolicy.MaxMaxAge)
        {
            context.Error(DiagnosticCodes.PublishedMaxAge, "publish.mta_sts.max_age",
                $"max_age {maxAge} is outside RFC 8461's bounds, 0 to {MtaStsPolicy.MaxMaxAge.ToString(CultureInfo.InvariantCulture)} seconds (about a year); senders reject the policy. One week is 604800.",
                policy.MaxAgeSpan ?? policy.Span);
        }
        else if (policy.MaxAge < ShortMaxAge && policy.Mode != MtaStsMode.None)
        {
            context.Info(DiagnosticCodes.PublishedMaxAge, "publish.mta_sts.max_age",
                $"max_age {maxAge} is less than a day: senders fetch the policy again that often, and an attacker who blocks the fetch gets around it sooner. RFC 8461 suggests weeks (604800 is one) once the policy works.",
                policy.MaxAgeSpan ?? policy.Span);
        }

        if (policy.Mode != MtaStsMode.None && t.IsSet("myhostname") && t.Resolve("myhostname") is { Length: > 0 } host
            && policy.Mx.Length > 0 && !policy.Mx.Any(p => PolicySyntax.Matches(p, host)))
        {
            context.Warning(DiagnosticCodes.MyHostnameNotInPublishedMx, "publish.mta_sts.mx",
                $"myhostname {host} matches no mx pattern of the policy ({string.Join(", ", policy.Mx)}): if this host is an MX of {publish.Domain}, senders that enforce the policy will not deliver to it. Add {host} (or *.{string.Join('.', host.Split('.').Skip(1))}).",
                policy.MxSpan ?? policy.Span);
        }

        switch (policy.Mode)
        {
            case MtaStsMode.Enforce:
                context.Info(DiagnosticCodes.PublishAdvice, "publish.mta_sts.mode",
                    publish.TlsRpt is null
                        ? "Mode enforce: senders that implement MTA-STS defer mail when an MX host or its certificate does not fit the policy. Publish with mode testing and a tlsrpt rua first, read the reports for a few weeks, then switch to enforce (render again: the id changes with the policy)."
                        : "Mode enforce: senders that implement MTA-STS defer mail when an MX host or its certificate does not fit the policy. If the policy is new, publish it with mode testing first and switch once the TLSRPT reports show no failures (render again: the id changes with the policy).",
                    policy.ModeSpan ?? policy.Span);
                break;
            case MtaStsMode.Testing when publish.TlsRpt is null:
                context.Info(DiagnosticCodes.PublishAdvice, "publish.mta_sts.mode",
                    "Mode testing changes nothing for senders but their TLSRPT reports, and without publish.tlsrpt nobody asks for them: add tlsrpt: {rua: [mailto:tls-reports@" + publish.Domain + "]}.",
                    policy.ModeSpan ?? policy.Span);
                break;
            case MtaStsMode.None:
                context.Info(DiagnosticCodes.PublishAdvice, "publish.mta_sts.mode",
                    "Mode none withdraws a policy: keep serving this file and record until the old max_age has passed since the change, then remove both.",
                    policy.ModeSpan ?? policy.Span);
                break;
        }
    }
}
