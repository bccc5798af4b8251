namespace PostfixConfig.Yaml;

/// <summary>
/// The kind of a YAML parsing event, read without building the event (see
/// <see cref="IYamlEvents.Kind"/>): the policy table reader walks hundreds of thousands of them.
/// </summary>
internal enum YamlToken : byte
{
    /// <summary>No event (before the first).</summary>
    None,

    /// <summary>The start of the stream.</summary>
    StreamStart,

    /// <summary>The end of the stream.</summary>
    StreamEnd,

    /// <summary>The start of a document.</summary>
    DocumentStart,

    /// <summary>The end of a document.</summary>
    DocumentEnd,

    /// <summary>The start of a mapping.</summary>
    MappingStart,

    /// <summary>The end of a mapping.</summary>
    MappingEnd,

    /// <summary>The start of a sequence.</summary>
    SequenceStart,

    /// <summary>The end of a sequence.</summary>
    SequenceEnd,

    /// <summary>A scalar.</summary>
    Scalar,
}
