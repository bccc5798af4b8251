using PostfixConfig.Usage;

namespace PostfixConfig.Validation;

/// <summary>
/// What the verdict on names (<see cref="ParameterUsage"/>) is decided from for a validation target:
/// main.cf's values, the entries of the master.cf next to it (lint, merge, apply), the configuration's
/// own services as the master.cf entries <c>render</c> writes for them, and
/// <see cref="TlsConfiguration.UsedByMasterCf"/> as an entry that refers to each of its names.
/// </summary>
internal static class UsageInput
{
    /// <summary>The option name of the entry that stands for <see cref="TlsConfiguration.UsedByMasterCf"/> (not a parameter name).</summary>
    private const string DeclaredReferences = "used_by_master_cf";

    /// <summary>The type of the entries that stand for the configuration's own services (not a master.cf type, so never shared with one).</summary>
    private const string ConfigurationServiceType = "(configuration)";

    public static ParameterUsage Decide(ValidationTarget t)
    {
        var main = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in t.Config.Main)
        {
            main[name] = value.Text;
        }

        return ParameterUsage.Decide(main, Entries(t.Config, t.Master), t.Master is not null, t.Version, t.Catalog);
    }

    /// <summary>The master.cf entries for the decision, in order: master.cf's, then the services', then the declared references.</summary>
    public static List<UsageEntry> Entries(TlsConfiguration config, MainCf.MasterCf? master)
    {
        var entries = new List<UsageEntry>();
        foreach (var service in master?.Services ?? [])
        {
            entries.Add(new UsageEntry(service.Name, service.Type, service.Program, [.. service.Options.Select(o => (o.Name, o.Value))]));
        }

        foreach (var service in config.Services)
        {
            // Its own name space: merge and apply replace the master.cf entry it renders, never share with it.
            entries.Add(new UsageEntry(service.Listen ?? service.Name, ConfigurationServiceType, "smtpd", [.. service.Overrides.Select(o => (o.Key, o.Value.MasterCfText))]));
        }

        if (!config.UsedByMasterCf.IsEmpty)
        {
            entries.Add(new UsageEntry(DeclaredReferences, ConfigurationServiceType, "smtpd", [(DeclaredReferences, string.Join(' ', config.UsedByMasterCf.Select(n => "$" + n)))]));
        }

        return entries;
    }
}
