using PostfixConfig.Apply;

namespace PostfixConfig;

/// <content>apply: from a configuration to a running Postfix, in one safe, idempotent step.</content>
public static partial class PostfixTls
{
    /// <summary>
    /// What applying <paramref name="config"/> to the config folder would do (main.cf and master.cf
    /// changes by the rules of <see cref="Merge"/>, map files, maps to compile and why, reload or
    /// restart), without changing anything. It reads the folder, checks the key and certificate files
    /// (unless <see cref="ApplyOptions.CheckFiles"/> is off) and asks <see cref="ApplyOptions.Commands"/>
    /// which table types Postfix supports; nothing else runs. No value when the configuration is invalid.
    /// </summary>
    /// <exception cref="ApplyException">The folder cannot be read, or Postfix cannot be asked.</exception>
    public static Result<ApplyPlan> PlanApply(TlsConfiguration config, ApplyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        return ApplyPlanner.Plan(config, options ?? ApplyOptions.Default);
    }

    /// <summary>
    /// Applies <paramref name="config"/> to the config folder: plans (<see cref="PlanApply"/>), writes
    /// every new file into a staging folder, compiles the maps there (<c>postmap</c>, <c>postmap -F</c>
    /// for the SNI table), has Postfix check the staged configuration (<c>postconf -n</c> without a new
    /// warning, <c>postfix check</c>), moves everything into place together and reloads a running
    /// Postfix (restarts it for <c>inet_interfaces</c>/<c>inet_protocols</c>). Nothing is written,
    /// compiled or reloaded when nothing changes. No value when the configuration is invalid (then
    /// nothing was touched).
    /// </summary>
    /// <remarks>
    /// The whole apply, from reading the folder to the last rename, holds the folder's locks (the lock
    /// file <c>.postfix-config.lock</c> and Postfix's edit locks on <c>main.cf.tmp</c> and
    /// <c>master.cf.tmp</c>, which <c>postconf -e</c> waits for), waiting up to
    /// <see cref="ApplyOptions.LockTimeout"/>; a file that another program changes without them in the
    /// meantime stops the apply before anything is moved (run it again).
    /// </remarks>
    /// <exception cref="ApplyException">A step failed on the host (the message names it, with the tool's output); the folder is as it was.</exception>
    public static Result<ApplyResult> Apply(TlsConfiguration config, ApplyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        options ??= ApplyOptions.Default;
        return ApplyRunner.Apply(config, options);
    }
}
