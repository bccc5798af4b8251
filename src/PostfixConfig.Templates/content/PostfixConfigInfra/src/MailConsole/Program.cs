using PostfixConfig;
using PostfixConfig.Apply;
using PostfixConfigInfra.Hosts;

// dotnet run --project src/MailConsole -- render [out]                 renders every host into out/<host>/
// dotnet run --project src/MailConsole -- apply <host> [/etc/postfix]  applies one host on this machine (as root)
switch (args)
{
    case ["render", .. var rest]:
        var output = rest.Length > 0 ? rest[0] : "out";
        var failed = false;
        foreach (var (name, config) in MailHosts.All)
        {
            var rendered = PostfixTls.Render(config);
            foreach (var d in rendered.Diagnostics)
            {
                Console.Error.WriteLine($"{name}: {d}");
            }

            if (rendered.Value is null)
            {
                failed = true;
                continue;
            }

            var written = rendered.Value.WriteTo(Path.Combine(output, name));
            Console.WriteLine($"{name}: {string.Join(", ", written)}");
        }

        return failed ? 1 : 0;

    case ["apply", var host, .. var more] when MailHosts.All.TryGetValue(host, out var config):
        var applied = PostfixTls.Apply(config, new ApplyOptions { ConfigDirectory = more.Length > 0 ? more[0] : "/etc/postfix" });
        foreach (var d in applied.Diagnostics)
        {
            Console.Error.WriteLine($"{host}: {d}");
        }

        return applied.HasErrors ? 1 : 0;

    default:
        Console.Error.WriteLine($"usage: render [out] | apply <{string.Join('|', MailHosts.All.Keys)}> [config-dir]");
        return 2;
}
