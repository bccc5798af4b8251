using PostfixConfig.Diagnostics;

namespace PostfixConfig;

/// <summary>Where an effective setting comes from.</summary>
public enum ValueSource
{
    /// <summary>Set explicitly in <c>main</c>.</summary>
    Main,

    /// <summary>Filled in by the <c>profile</c>.</summary>
    Profile,

    /// <summary>An <c>-o</c> override every such master.cf service gets (from the catalog).</summary>
    ServiceDefault,

    /// <summary>Set explicitly for a service in <c>services</c>.</summary>
    Service,

    /// <summary>Set up for the MTA-STS resolver of <c>mta_sts</c> (its socketmap in <c>smtp_tls_policy_maps</c>, and what the release needs for it).</summary>
    MtaSts,
}

/// <summary>One effective setting and where it comes from (what <c>validate --show-origin</c> prints).</summary>
/// <param name="Service">The master.cf service (<c>submission</c>) for an <c>-o</c> override, or <see langword="null"/> for main.cf.</param>
/// <param name="Name">The parameter.</param>
/// <param name="Value">Its value as written to main.cf or master.cf.</param>
/// <param name="Source">Where it comes from.</param>
/// <param name="Detail">A phrase saying where exactly (<c>profile intermediate (profiles.txt line 64)</c>).</param>
/// <param name="Span">The position in the input that the value is reported at (the <c>profile</c> key for profile values).</param>
public sealed record ValueOrigin(string? Service, string Name, string Value, ValueSource Source, string Detail, SourceSpan? Span);
