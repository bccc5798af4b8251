using CsCheck;
using PostfixConfig.Cli;

namespace PostfixConfig.Tests.Cli;

/// <summary>Every message the CLI prints goes through <c>OneLine</c>: nothing that could end or forge a line gets through.</summary>
public class OneLineTests
{
    private static bool NeedsEscape(char c) => char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029';

    [Fact]
    public void OneLine_AnyText_NoLineBreakingCharacterLeftAndPlainTextUnchanged()
    {
        var chars = Gen.Frequency((6, Gen.Char['a', 'z']), (2, Gen.Char), (1, Gen.OneOf('\n', '\r', '\u0085', '\u2028', '\u2029', '\ud83d', '\udce7', '\u007f', '\u009f', '\u001f')));
        chars.Array[0, 40].Select(c => new string(c)).Sample(s =>
        {
            var line = CliApp.OneLine(s);
            for (var i = 0; i < line.Length; i++)
            {
                if (char.IsHighSurrogate(line[i]) && i + 1 < line.Length && char.IsLowSurrogate(line[i + 1]))
                {
                    i++; // a proper pair stays
                    continue;
                }

                Assert.False(NeedsEscape(line[i]), $"U+{(int)line[i]:X4} left in '{line}'");
            }

            if (!s.Any(NeedsEscape))
            {
                Assert.Same(s, line);
            }
        }, iter: 5000, threads: 1);
    }

    [Theory]
    [InlineData("a\nb", "a\\u000Ab")]
    [InlineData("a\u0085b\u2028", "a\\u0085b\\u2028")]
    [InlineData("mail \ud83d\udce7 ok", "mail \ud83d\udce7 ok")]
    public void OneLine_Examples(string input, string expected) => Assert.Equal(expected, CliApp.OneLine(input));

    [Fact]
    public void OneLine_LoneSurrogate_IsEscaped() =>
        Assert.Equal("lone \\uD83D end", CliApp.OneLine("lone " + (char)0xD83D + " end")); // built here: test data attributes cannot carry a lone surrogate
}
