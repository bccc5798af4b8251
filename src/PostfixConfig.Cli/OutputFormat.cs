namespace PostfixConfig.Cli;

/// <summary>How a command prints its result and diagnostics (<c>--format</c>).</summary>
internal enum OutputFormat
{
    /// <summary>Lines for people: <c>file(line,col): severity CODE: message</c>.</summary>
    Text,

    /// <summary>JSON for programs (diagnostics as an array; probe, apply and status as an object).</summary>
    Json,
}
