namespace PostfixConfig.Apply;

/// <summary>Options for <see cref="PostfixTls.Apply(TlsConfiguration, ApplyOptions?)"/> and <see cref="PostfixTls.PlanApply(TlsConfiguration, ApplyOptions?)"/>.</summary>
/// <remarks>This type is immutable; change it with <c>with</c>.</remarks>
public sealed record ApplyOptions
{
    /// <summary>The defaults: /etc/postfix, the real Postfix commands, reload when something changed, file checks on.</summary>
    public static ApplyOptions Default { get; } = new();

    /// <summary>The Postfix config folder to apply to (its main.cf, master.cf and maps); <c>/etc/postfix</c> by default.</summary>
    public string ConfigDirectory { get; init; } = "/etc/postfix";

    /// <summary>Validation settings, including the target release (overrides the YAML's <c>postfix_version</c>).</summary>
    public ValidationOptions Validation { get; init; } = ValidationOptions.Default;

    /// <summary>The Postfix commands to run; <see cref="PostfixCommands.Default"/> runs the real ones in /usr/sbin.</summary>
    internal IPostfixCommands Commands { get; init; } = PostfixCommands.Default;

    /// <summary>Reload (or restart) a running Postfix when something changed (the CLI's <c>--no-reload</c> turns it off).</summary>
    public bool Reload { get; init; } = true;

    /// <summary>Check the key and certificate files the configuration names first, as <c>--check-files</c> does; errors stop the apply.</summary>
    public bool CheckFiles { get; init; } = true;

    /// <summary>Also replace the legacy TLS switches, as <c>merge --migrate</c> does.</summary>
    public bool Migrate { get; init; }

    /// <summary>
    /// Where to install the certbot deploy hook (<c>postfix</c>, mode 0755), or <see langword="null"/> for
    /// none (the CLI's <c>--reload-hook certbot</c> installs it into
    /// <c>/etc/letsencrypt/renewal-hooks/deploy</c>).
    /// </summary>
    public string? CertbotHookDirectory { get; init; }

    /// <summary>How long to wait for another writer's lock on the config folder (see <see cref="WriteOptions.LockTimeout"/>).</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Told when a lock is not free at once and apply waits for it (see <see cref="WriteOptions.LockWaiting"/>).</summary>
    public Action<string>? LockWaiting { get; init; }
}
