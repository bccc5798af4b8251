using PostfixConfig.Catalog;

namespace PostfixConfig.Tests.Catalog;

/// <summary>
/// What postmap makes of each file-based table type (postmap(1), DATABASE_README), and which table of
/// a maps value is the file rendering writes (found by mutation testing: tests/mutation/survivors/Catalog.txt).
/// </summary>
public class MapTypesTests
{
    [Theory]
    [InlineData("hash", new[] { ".db" })]
    [InlineData("btree", new[] { ".db" })]
    [InlineData("lmdb", new[] { ".lmdb" })]
    [InlineData("cdb", new[] { ".cdb" })]
    [InlineData("dbm", new[] { ".dir", ".pag" })]
    [InlineData("sdbm", new[] { ".dir", ".pag" })]
    public void Indexed_SuffixesOfTheFilesPostmapWrites(string type, string[] suffixes)
    {
        Assert.True(MapTypes.IsIndexed(type));
        Assert.Equal(suffixes, MapTypes.Indexed[type]);
    }

    [Fact]
    public void FileTypes_IndexedInOrderThenTexthash()
    {
        Assert.Equal(["btree", "cdb", "dbm", "hash", "lmdb", "sdbm", "texthash"], MapTypes.FileTypes);
        Assert.False(MapTypes.IsIndexed("texthash"));
    }

    [Theory]
    [InlineData("hash:/etc/postfix/tls_policy", "hash", "/etc/postfix/tls_policy")]
    [InlineData("texthash:/etc/postfix/p", "texthash", "/etc/postfix/p")]
    [InlineData("pcre:/etc/postfix/p.pcre, lmdb:/etc/postfix/p", "lmdb", "/etc/postfix/p")]
    [InlineData(":/x, hash:/etc/postfix/p", "hash", "/etc/postfix/p")]
    [InlineData("hash:, cdb:/var/lib/p", "cdb", "/var/lib/p")]
    [InlineData("hash:/etc/postfix/, btree:/etc/postfix/b", "btree", "/etc/postfix/b")]
    [InlineData("hash:x", "hash", "x")]
    public void FirstFileTable_TheFirstFileBasedTable(string maps, string type, string path) =>
        Assert.Equal((type, path), MapTypes.FirstFileTable(maps));

    [Theory]
    [InlineData("")]
    [InlineData("hash")]
    [InlineData("pcre:/etc/postfix/p.pcre")]
    [InlineData("proxy:hash:/etc/postfix/p")]
    [InlineData("hash:/etc/postfix/")]
    [InlineData("hash:")]
    public void FirstFileTable_NoneWhenNoFileBasedTable(string maps) => Assert.Null(MapTypes.FirstFileTable(maps));
}
