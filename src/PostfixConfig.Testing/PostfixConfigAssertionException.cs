namespace PostfixConfig.Testing;

/// <summary>
/// A failed PostfixConfig assertion. The message is the whole explanation: the host (or configuration)
/// label, and for each diagnostic its severity, code, message and parameter, in the library's own
/// format. Every test framework (xUnit, NUnit, MSTest) reports an unexpected exception as a failure
/// with its message, so no framework adapter is needed.
/// </summary>
public sealed class PostfixConfigAssertionException : Exception
{
    /// <summary>Creates the exception with no message.</summary>
    public PostfixConfigAssertionException()
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    /// <param name="message">What failed, for whom, and why.</param>
    public PostfixConfigAssertionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that caused it.</summary>
    /// <param name="message">What failed, for whom, and why.</param>
    /// <param name="innerException">The cause.</param>
    public PostfixConfigAssertionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
