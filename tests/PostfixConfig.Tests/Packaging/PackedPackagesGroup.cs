namespace PostfixConfig.Tests.Packaging;

/// <summary>
/// The test classes that use the packed packages share one <see cref="PackedPackages"/> per run: its
/// pack compiles the tool natively twice (linux-x64 and linux-arm64), minutes on two cores, so no
/// class packs again (issue 26: PackageTests and the Ansible install role's dotnet tool test).
/// </summary>
[CollectionDefinition(Name)]
public sealed class PackedPackagesGroup : ICollectionFixture<PackedPackages>
{
    public const string Name = "packed packages";
}
