namespace PostfixConfig;

/// <summary>What a file the tool writes or changes is: its role in the Postfix configuration.</summary>
public enum RenderedFileKind
{
    /// <summary>The main.cf file.</summary>
    MainCf,

    /// <summary>A lookup table source file for <c>postmap</c> (the TLS policy table).</summary>
    Map,

    /// <summary>An auxiliary file such as a certificate reload hook.</summary>
    Auxiliary,

    /// <summary>The master.cf file (written when the configuration manages services).</summary>
    MasterCf,

    /// <summary>The source of the <c>tls_server_sni_maps</c> table, compiled with <c>postmap -F</c> (which reads the files it names).</summary>
    SniMap,

    /// <summary>
    /// A file the domain publishes outside Postfix: the MTA-STS policy (<c>mta-sts.txt</c>, for the web
    /// server of <c>mta-sts.DOMAIN</c>) or the DNS records (<c>dns-records.zone</c>). Only <c>render</c> writes them.
    /// </summary>
    Published,
}
