using System.CommandLine;
using System.Text;
using PostfixConfig.MainCf;
using PostfixConfig.Merge;

namespace PostfixConfig.Cli.Commands;

/// <summary>
/// <c>merge CONFIG.yaml --into MAIN_CF</c>: apply the YAML's settings to an existing main.cf in place
/// (as <c>postconf -e</c> edits) and write the policy map next to it, all or nothing.
/// </summary>
internal static class MergeCommand
{
    public static Command Create(CliIo io)
    {
        var config = CommonOptions.ConfigFile();
        var into = new Option<string>("--into")
        {
            Description = "The main.cf to edit in place; map files from the YAML are written next to it.",
            HelpName = "MAIN_CF",
            Required = true,
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Write nothing; only report what would change." };
        var diff = new Option<bool>("--diff") { Description = "Print a unified diff of every file that changes." };
        var migrate = new Option<bool>("--migrate")
        {
            Description = "Also replace legacy TLS switches (smtpd_use_tls, smtp_enforce_tls, ...) by the security level they amount to, keeping the old lines as comments.",
        };
        var backup = new Option<bool>("--backup") { Description = "Keep the previous version of each replaced file as NAME.bak." };
        var version = CommonOptions.PostfixVersion();
        var lockTimeout = CommonOptions.LockTimeout();
        var command = new Command("merge", "Apply a YAML configuration to an existing main.cf in place, keeping every comment and unrelated line.")
        {
            config, into, dryRun, diff, migrate, backup, version, lockTimeout,
        };
        command.SetAction(parse =>
        {
            var yamlPath = parse.GetRequiredValue(config);
            var mainPath = parse.GetRequiredValue(into);
            var loaded = PostfixTls.LoadYamlFile(yamlPath);
            if (loaded.HasErrors)
            {
                DiagnosticPrinter.Print(loaded.Diagnostics, OutputFormat.Text, io.Error);
                return CliApp.Invalid;
            }

            var read = PostfixTls.ReadMainCfFile(mainPath);
            if (read.HasErrors)
            {
                DiagnosticPrinter.Print(read.Diagnostics, OutputFormat.Text, io.Error);
                io.Error.WriteLine($"postfix-config: {mainPath}: Postfix would refuse this file; fix it first. Nothing was written.");
                return CliApp.Invalid;
            }

            var options = MergeOptions.Default with
            {
                Migrate = parse.GetValue(migrate),
                Validation = ValidationOptions.Default with { PostfixVersion = parse.GetValue(version) },
            };
            MergedConfiguration result;
            IReadOnlyList<string>? written = null;
            var before = new Dictionary<string, string?>(StringComparer.Ordinal);
            if (parse.GetValue(dryRun))
            {
                var merged = PostfixTls.Merge(loaded.Value, read.Value, options);
                DiagnosticPrinter.Print(loaded.Diagnostics.Concat(merged.Diagnostics), OutputFormat.Text, io.Error);
                if (merged.Value is null)
                {
                    io.Error.WriteLine($"postfix-config: {mainPath}: not merged; fix the errors above. Nothing was written.");
                    return CliApp.Invalid;
                }

                result = merged.Value;
            }
            else
            {
                // The other files as they are now, for --diff (main.cf's own text comes with the result).
                if (parse.GetValue(diff) && PostfixTls.Merge(loaded.Value, read.Value, options).Value is { } preview)
                {
                    foreach (var file in preview.Files.Files.Where(f => f.Kind != RenderedFileKind.MainCf))
                    {
                        before[file.FileName] = preview.PreviousText(file);
                    }
                }

                // Under the folder's locks, against main.cf as it is at the moment of writing.
                var writeOptions = WriteOptions.Default with { Backup = parse.GetValue(backup), LockTimeout = parse.GetValue(lockTimeout), LockWaiting = m => io.Error.WriteLine($"postfix-config: {m}") };
                var merged = PostfixTls.MergeFile(loaded.Value, mainPath, options, writeOptions);
                DiagnosticPrinter.Print(loaded.Diagnostics.Concat(merged.Diagnostics), OutputFormat.Text, io.Error);
                if (merged.Value is null)
                {
                    io.Error.WriteLine($"postfix-config: {mainPath}: not merged; fix the errors above. Nothing was written.");
                    return CliApp.Invalid;
                }

                result = merged.Value.Merged;
                written = merged.Value.Written;
                if (merged.Value.Attempts > 1)
                {
                    io.Error.WriteLine($"postfix-config: {mainPath}: changed by another program while merging; merged again from its new text.");
                }
            }

            foreach (var change in result.Changes)
            {
                var file = change.File == RenderedFileKind.MasterCf ? "master.cf" : Path.GetFileName(mainPath);
                io.Error.WriteLine($"postfix-config: {file}: {Describe(change)}");
            }

            var changed = result.Files.Files;
            if (parse.GetValue(diff))
            {
                foreach (var file in changed)
                {
                    var target = file.Kind == RenderedFileKind.MainCf ? mainPath : Path.Combine(Path.GetDirectoryName(mainPath) ?? string.Empty, file.FileName);
                    var old = file.Kind == RenderedFileKind.MainCf ? result.Original.Text
                        : before.TryGetValue(file.FileName, out var kept) ? kept : result.PreviousText(file);
                    io.Out.Write(old is null ? $"postfix-config: {target}: not a regular file, or too large to show as a diff\n" : UnifiedDiff.Create(old, file.Content, target, target));
                }
            }

            if (changed.Length == 0)
            {
                io.Error.WriteLine($"postfix-config: {mainPath}: already up to date; nothing to write.");
                return CliApp.Ok;
            }

            if (written is null)
            {
                io.Error.WriteLine($"postfix-config: dry run: {string.Join(", ", changed.Select(f => f.FileName))} not written.");
                return CliApp.Ok;
            }

            foreach (var file in written)
            {
                io.Out.WriteLine(file);
            }

            return CliApp.Ok;
        });
        return command;
    }

    private static string Describe(MainCfChange change) => change.Kind switch
    {
        MainCfChangeKind.Added => $"added {change.Name} = {change.NewValue}",
        MainCfChangeKind.Replaced => $"changed {change.Name} = {change.OldValue} -> {change.NewValue}",
        _ => $"commented out {change.Name} = {change.OldValue}",
    };
}

/// <summary>A unified diff (as <c>diff -u</c> prints it) of two texts, for <c>merge --diff</c>.</summary>
internal static class UnifiedDiff
{
    private const int Context = 3;
    private const long MaxCells = 16_000_000;

    public static string Create(string oldText, string newText, string oldLabel, string newLabel)
    {
        if (oldText == newText)
        {
            return string.Empty;
        }

        var a = Lines(oldText);
        var b = Lines(newText);
        var ops = Script(a, b);
        var sb = new StringBuilder();
        sb.Append("--- ").Append(oldLabel).Append('\n');
        sb.Append("+++ ").Append(newLabel).Append('\n');
        var i = 0;
        while (i < ops.Count)
        {
            if (ops[i].Kind == ' ')
            {
                i++;
                continue;
            }

            var start = Math.Max(0, i - Context);
            var end = i;
            while (end < ops.Count)
            {
                if (ops[end].Kind != ' ')
                {
                    end++;
                    continue;
                }

                var run = end;
                while (run < ops.Count && ops[run].Kind == ' ')
                {
                    run++;
                }

                if (run == ops.Count || run - end > 2 * Context)
                {
                    end = Math.Min(ops.Count, end + Context);
                    break;
                }

                end = run;
            }

            var oldStart = ops[start].OldIndex;
            var newStart = ops[start].NewIndex;
            var oldCount = ops.Skip(start).Take(end - start).Count(o => o.Kind != '+');
            var newCount = ops.Skip(start).Take(end - start).Count(o => o.Kind != '-');
            sb.Append("@@ -").Append(Range(oldStart, oldCount)).Append(" +").Append(Range(newStart, newCount)).Append(" @@\n");
            for (var k = start; k < end; k++)
            {
                var (kind, line) = (ops[k].Kind, ops[k].Text);
                sb.Append(kind).Append(line.TrimEnd('\n')).Append('\n');
                if (!line.EndsWith('\n'))
                {
                    sb.Append("\\ No newline at end of file\n");
                }
            }

            i = end;
        }

        return sb.ToString();
    }

    private static string Range(int start, int count) => count == 0
        ? $"{start},0"
        : count == 1 ? $"{start + 1}" : $"{start + 1},{count}";

    private static List<string> Lines(string text)
    {
        var lines = new List<string>();
        var offset = 0;
        while (offset < text.Length)
        {
            var nl = text.IndexOf('\n', offset);
            var end = nl < 0 ? text.Length : nl + 1;
            lines.Add(text[offset..end]);
            offset = end;
        }

        return lines;
    }

    private readonly record struct Op(char Kind, string Text, int OldIndex, int NewIndex);

    private static List<Op> Script(List<string> a, List<string> b)
    {
        var prefix = 0;
        while (prefix < a.Count && prefix < b.Count && a[prefix] == b[prefix])
        {
            prefix++;
        }

        var suffix = 0;
        while (suffix < a.Count - prefix && suffix < b.Count - prefix && a[a.Count - 1 - suffix] == b[b.Count - 1 - suffix])
        {
            suffix++;
        }

        var ops = new List<Op>();
        for (var k = 0; k < prefix; k++)
        {
            ops.Add(new Op(' ', a[k], k, k));
        }

        var n = a.Count - prefix - suffix;
        var m = b.Count - prefix - suffix;
        if ((long)n * m > MaxCells)
        {
            for (var k = 0; k < n; k++)
            {
                ops.Add(new Op('-', a[prefix + k], prefix + k, prefix));
            }

            for (var k = 0; k < m; k++)
            {
                ops.Add(new Op('+', b[prefix + k], prefix + n, prefix + k));
            }
        }
        else
        {
            var lcs = new int[n + 1, m + 1];
            for (var x = n - 1; x >= 0; x--)
            {
                for (var y = m - 1; y >= 0; y--)
                {
                    lcs[x, y] = a[prefix + x] == b[prefix + y] ? lcs[x + 1, y + 1] + 1 : Math.Max(lcs[x + 1, y], lcs[x, y + 1]);
                }
            }

            int p = 0, q = 0;
            while (p < n || q < m)
            {
                if (p < n && q < m && a[prefix + p] == b[prefix + q])
                {
                    ops.Add(new Op(' ', a[prefix + p], prefix + p, prefix + q));
                    p++;
                    q++;
                }
                else if (p < n && (q == m || lcs[p + 1, q] >= lcs[p, q + 1]))
                {
                    ops.Add(new Op('-', a[prefix + p], prefix + p, prefix + q));
                    p++;
                }
                else
                {
                    ops.Add(new Op('+', b[prefix + q], prefix + p, prefix + q));
                    q++;
                }
            }
        }

        for (var k = 0; k < suffix; k++)
        {
            var ai = a.Count - suffix + k;
            var bi = b.Count - suffix + k;
            ops.Add(new Op(' ', a[ai], ai, bi));
        }

        return ops;
    }
}
