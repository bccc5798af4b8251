namespace PostfixConfig.IntegrationTests.Support;

/// <summary>
/// The live tests run one at a time: each starts a whole Postfix instance, and the machine may be
/// small and shared.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LiveTestGroup
{
    public const string Name = "Live Postfix";
}
