namespace PostfixConfig.Apply;

/// <summary>The step of an apply that failed.</summary>
public enum ApplyStep
{
    /// <summary>Finding out what to do (reading the config folder, asking Postfix).</summary>
    Plan,

    /// <summary>Writing the new files into a staging folder.</summary>
    Stage,

    /// <summary>Compiling a map with postmap.</summary>
    Compile,

    /// <summary>Checking the staged configuration (<c>postconf -n</c>, <c>postfix check</c>).</summary>
    Check,

    /// <summary>Moving the staged files into place.</summary>
    Commit,

    /// <summary>Reloading or restarting Postfix.</summary>
    Reload,

    /// <summary>Installing the certbot deploy hook.</summary>
    InstallHook,
}

/// <summary>
/// An apply failed on the host: the message says which step and gives the tool's own output; the
/// config folder was left as it was (or, when the message says so, what could not be put back).
/// </summary>
public sealed class ApplyException : IOException
{
    /// <summary>Creates the exception.</summary>
    public ApplyException(ApplyStep step, string message, CommandResult? command = null, Exception? inner = null)
        : base(message, inner)
    {
        Step = step;
        Command = command;
    }

    /// <summary>Creates the exception.</summary>
    public ApplyException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public ApplyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ApplyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The step that failed.</summary>
    public ApplyStep Step { get; }

    /// <summary>The command that failed, with its output, or <see langword="null"/>.</summary>
    public CommandResult? Command { get; }
}
