using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace PostfixConfig.Yaml;

/// <summary>
/// Writes the model in the YAML shape the reader takes, so that reading the output gives back an
/// equal model. Strings that the reader would turn into something else (<c>true</c>, <c>null</c>, ...)
/// are quoted.
/// </summary>
internal static partial class ConfigYamlWriter
{
    public static string Write(TlsConfiguration config)
    {
        using var sw = new StringWriter(System.Globalization.CultureInfo.InvariantCulture) { NewLine = "\n" };
        var e = new Emitter(sw, new EmitterSettings(bestIndent: 2, bestWidth: int.MaxValue, isCanonical: false, maxSimpleKeyLength: 1024, skipAnchorName: false, indentSequences: false, newLine: "\n"));
        e.Emit(new StreamStart());
        e.Emit(new DocumentStart());
        e.Emit(new MappingStart());
        if (config.PostfixVersion is { } v)
        {
            Scalar(e, "postfix_version");
            e.Emit(new YamlDotNet.Core.Events.Scalar(null, null, v.ToString(), ScalarStyle.DoubleQuoted, false, true));
        }

        if (config.OpenSslVersion is { } ssl)
        {
            Scalar(e, "openssl_version");
            e.Emit(new YamlDotNet.Core.Events.Scalar(null, null, ssl.ToString(), ScalarStyle.DoubleQuoted, false, true));
        }

        if (config.Profile is { } profile)
        {
            Scalar(e, "profile");
            Scalar(e, Catalog.ProfileCatalog.NameOf(profile));
        }

        if (config.Main.Count > 0)
        {
            Scalar(e, "main");
            WriteParameters(e, config.Main);
        }

        if (config.Services.Count > 0)
        {
            Scalar(e, "services");
            e.Emit(new MappingStart());
            foreach (var service in config.Services)
            {
                Scalar(e, service.Name);
                e.Emit(new MappingStart());
                if (service.Listen is { } listen)
                {
                    Scalar(e, "listen");
                    Scalar(e, listen);
                }

                WriteParameterEntries(e, service.Overrides);
                e.Emit(new MappingEnd());
            }

            e.Emit(new MappingEnd());
        }

        if (!config.UsedByMasterCf.IsEmpty)
        {
            Scalar(e, "used_by_master_cf");
            e.Emit(new SequenceStart(null, null, false, SequenceStyle.Block));
            foreach (var name in config.UsedByMasterCf)
            {
                Scalar(e, name);
            }

            e.Emit(new SequenceEnd());
        }

        if (config.Sni.Count > 0)
        {
            Scalar(e, "sni");
            e.Emit(new MappingStart());
            foreach (var entry in config.Sni)
            {
                Scalar(e, entry.Name);
                e.Emit(new SequenceStart(null, null, false, SequenceStyle.Block));
                foreach (var file in entry.Files)
                {
                    Scalar(e, file);
                }

                e.Emit(new SequenceEnd());
            }

            e.Emit(new MappingEnd());
        }

        if (config.TlsPolicy.Count > 0)
        {
            Scalar(e, "tls_policy");
            e.Emit(new MappingStart());
            foreach (var entry in config.TlsPolicy)
            {
                Scalar(e, entry.Destination);
                WriteEntry(e, entry);
            }

            e.Emit(new MappingEnd());
        }

        WriteMtaSts(e, config.MtaSts);
        WritePublish(e, config.Publish);
        e.Emit(new MappingEnd());
        e.Emit(new DocumentEnd(true));
        e.Emit(new StreamEnd());
        return sw.ToString();
    }

    private static void WriteParameters(Emitter e, ParameterMap parameters)
    {
        e.Emit(new MappingStart());
        WriteParameterEntries(e, parameters);
        e.Emit(new MappingEnd());
    }

    private static void WriteParameterEntries(Emitter e, ParameterMap parameters)
    {
        foreach (var (name, value) in parameters)
        {
            Scalar(e, name);
            if (value.IsList)
            {
                e.Emit(new SequenceStart(null, null, false, SequenceStyle.Block));
                foreach (var item in value.Items)
                {
                    Scalar(e, item);
                }

                e.Emit(new SequenceEnd());
            }
            else
            {
                Scalar(e, value.Text);
            }
        }
    }

    private static void WriteEntry(Emitter e, TlsPolicyEntry entry)
    {
        var simple = entry.Protocols.IsEmpty && entry.Exclude.IsEmpty && entry.Match.IsEmpty && entry.TaFile.IsEmpty
            && entry.Ciphers is null && entry.ServerName is null && entry.ConnectionReuse is null && entry.EnableRpk is null
            && entry.OtherAttributes.IsEmpty;
        if (simple)
        {
            Scalar(e, entry.Level);
            return;
        }

        e.Emit(new MappingStart());
        Scalar(e, "level");
        Scalar(e, entry.Level);
        List(e, "protocols", entry.Protocols);
        Optional(e, "ciphers", entry.Ciphers);
        List(e, "exclude", entry.Exclude);
        List(e, "match", entry.Match);
        List(e, "tafile", entry.TaFile);
        Optional(e, "servername", entry.ServerName);
        Optional(e, "connection_reuse", entry.ConnectionReuse is { } r ? (r ? "yes" : "no") : null);
        Optional(e, "enable_rpk", entry.EnableRpk is { } k ? (k ? "yes" : "no") : null);
        foreach (var a in entry.OtherAttributes)
        {
            Scalar(e, a.Name);
            Scalar(e, a.Value);
        }

        e.Emit(new MappingEnd());
    }

    private static void Optional(Emitter e, string name, string? value)
    {
        if (value is not null)
        {
            Scalar(e, name);
            Scalar(e, value);
        }
    }

    private static void List(Emitter e, string name, ValueList<string> items)
    {
        if (items.IsEmpty)
        {
            return;
        }

        Scalar(e, name);
        if (items.Count == 1)
        {
            Scalar(e, items[0]);
            return;
        }

        e.Emit(new SequenceStart(null, null, false, SequenceStyle.Flow));
        foreach (var item in items)
        {
            Scalar(e, item);
        }

        e.Emit(new SequenceEnd());
    }

    private static void Scalar(Emitter e, string text)
    {
        var style = NeedsQuotes(text) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any;
        e.Emit(new YamlDotNet.Core.Events.Scalar(null, null, text, style, style == ScalarStyle.Any, style != ScalarStyle.Any));
    }

    /// <summary>Plain scalars the reader would not read back as the same text.</summary>
    private static bool NeedsQuotes(string text) => text switch
    {
        "" or "~" => true,
        _ when text.Equals("null", StringComparison.OrdinalIgnoreCase) => true,
        _ when text.Equals("true", StringComparison.OrdinalIgnoreCase) || text.Equals("false", StringComparison.OrdinalIgnoreCase) => true,
        _ => text.Any(c => char.IsControl(c) || c > '~') || text != text.Trim(),
    };
}
