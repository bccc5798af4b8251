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
}
