using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace PostfixConfig.Yaml;

/// <content>The MTA-STS sections: <c>mta_sts</c> and <c>publish</c>.</content>
internal static partial class ConfigYamlWriter
{
    private static void WriteMtaSts(Emitter e, MtaStsResolver? resolver)
    {
        if (resolver is null)
        {
            return;
        }

        Scalar(e, "mta_sts");
        e.Emit(new MappingStart());
        Optional(e, "resolver", MtaStsResolver.NameOf(resolver.Kind));
        Optional(e, "address", resolver.Address);
        Optional(e, "require_sni", resolver.RequireSni ? null : "no");
        Optional(e, "tlsrpt", resolver.TlsRpt ? "yes" : null);
        e.Emit(new MappingEnd());
    }

    private static void WritePublish(Emitter e, PublishedPolicy? publish)
    {
        if (publish is null)
        {
            return;
        }

        Scalar(e, "publish");
        e.Emit(new MappingStart());
        Optional(e, "domain", publish.Domain);
        if (publish.MtaSts is { } policy)
        {
            Scalar(e, "mta_sts");
            e.Emit(new MappingStart());
            Optional(e, "mode", MtaStsPolicy.NameOf(policy.Mode));
            Sequence(e, "mx", policy.Mx);
            Optional(e, "max_age", policy.MaxAge.ToString(CultureInfo.InvariantCulture));
            e.Emit(new MappingEnd());
        }

        if (publish.TlsRpt is { } tlsRpt)
        {
            Scalar(e, "tlsrpt");
            e.Emit(new MappingStart());
            Sequence(e, "rua", tlsRpt.Rua);
            e.Emit(new MappingEnd());
        }

        e.Emit(new MappingEnd());
    }

    private static void Sequence(Emitter e, string name, IEnumerable<string> items)
    {
        Scalar(e, name);
        e.Emit(new SequenceStart(null, null, false, SequenceStyle.Flow));
        foreach (var item in items)
        {
            Scalar(e, item);
        }

        e.Emit(new SequenceEnd());
    }
}
