namespace PostfixConfig.Catalog;

/// <summary>One allowed word of an enumeration parameter and the releases that accept it.</summary>
/// <param name="Value">The word as Postfix spells it (matched case-insensitively).</param>
/// <param name="Since">The releases that accept it.</param>
internal sealed record EnumValue(string Value, VersionGate Since);
