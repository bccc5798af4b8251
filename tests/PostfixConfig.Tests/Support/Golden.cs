namespace PostfixConfig.Tests.Support;

/// <summary>
/// Golden-file comparison: the expected text lives in a file next to the test's input. Set
/// <c>UPDATE_GOLDEN=1</c> to rewrite the expected files; review the diff like code.
/// </summary>
internal static class Golden
{
    public static bool Updating => Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1";

    /// <summary>Compares <paramref name="actual"/> with the file; fails with a unified diff.</summary>
    public static void Match(string expectedPath, string actual)
    {
        actual = actual.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (Updating)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(expectedPath)!);
            File.WriteAllText(expectedPath, actual);
            return;
        }

        Assert.True(File.Exists(expectedPath), $"Golden file {expectedPath} is missing; run the tests with UPDATE_GOLDEN=1 and review it.");
        var expected = File.ReadAllText(expectedPath).Replace("\r\n", "\n", StringComparison.Ordinal);
        if (expected != actual)
        {
            Assert.Fail($"{expectedPath} differs (run with UPDATE_GOLDEN=1 to accept):\n{PostfixConfig.Text.UnifiedDiff.Create(expected, actual, "expected", "actual")}");
        }
    }
}
