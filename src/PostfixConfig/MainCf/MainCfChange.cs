namespace PostfixConfig.MainCf;

/// <summary>What a merge did to one parameter.</summary>
public enum MainCfChangeKind
{
    /// <summary>Its definition(s) got the new value, in place.</summary>
    Replaced,

    /// <summary>It was not set and was appended.</summary>
    Added,

    /// <summary>It was commented out (a legacy switch replaced by <c>--migrate</c>).</summary>
    CommentedOut,
}

/// <summary>One change a merge made to main.cf or master.cf.</summary>
/// <param name="Name">The parameter (main.cf), or the service and option (<c>submission/inet/smtpd_tls_security_level</c>, master.cf).</param>
/// <param name="Kind">What happened to it.</param>
/// <param name="OldValue">The value it had (the last definition), or <see langword="null"/> when it was not set.</param>
/// <param name="NewValue">The value it has now, or <see langword="null"/> when it was commented out.</param>
/// <param name="File">The file changed: <see cref="RenderedFileKind.MainCf"/> or <see cref="RenderedFileKind.MasterCf"/>.</param>
public sealed record MainCfChange(string Name, MainCfChangeKind Kind, string? OldValue, string? NewValue, RenderedFileKind File = RenderedFileKind.MainCf);
