using PostfixConfig.Catalog;
using PostfixConfig.KeyGen;

// Regenerates src/PostfixConfig/Model/TlsParameters.Generated.cs from the parameter catalog
// (src/PostfixConfig/Catalog/Data/tls-parameters.txt). Run from anywhere in the repository:
//   dotnet run --project tools/PostfixConfig.KeyGen [-- --check]
// --check writes nothing and exits 1 when the committed file is out of date.
var root = AppContext.BaseDirectory;
while (!File.Exists(Path.Combine(root, "PostfixConfig.sln")))
{
    root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("PostfixConfig.sln not found above " + AppContext.BaseDirectory);
}

var path = Path.Combine(root, TypedKeyGenerator.RelativePath);
var text = TypedKeyGenerator.Generate(ParameterCatalog.Default);
var current = File.Exists(path) ? File.ReadAllText(path) : null;
if (string.Equals(current, text, StringComparison.Ordinal))
{
    Console.WriteLine($"{TypedKeyGenerator.RelativePath} is up to date.");
    return 0;
}

if (args.Contains("--check"))
{
    Console.Error.WriteLine($"{TypedKeyGenerator.RelativePath} is out of date: run dotnet run --project tools/PostfixConfig.KeyGen");
    return 1;
}

File.WriteAllText(path, text);
Console.WriteLine($"wrote {TypedKeyGenerator.RelativePath}; rebuild the library.");
return 0;
